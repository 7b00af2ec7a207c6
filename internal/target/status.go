package target

import (
	"strings"
)

// Status is how far an operation against a target went. The values are
// stored with the register and never change; they are ordered, so that
// the register keeps the furthest stage any document states.
type Status string

// The stages of an operation, in order.
const (
	// StatusAttempted: tried without success or without getting in
	// (未成功, "failed", "no access").
	StatusAttempted Status = "attempted"
	// StatusAccess: a foothold without data taken (仅VPN, "shell only",
	// "access only", "no data").
	StatusAccess Status = "access"
	// StatusTaken: data taken or being taken (回传中, 已清洗, "exfil in
	// progress", "cleaned").
	StatusTaken Status = "taken"
	// StatusDelivered: the data went to a client (已交付, "delivered").
	StatusDelivered Status = "delivered"
)

// rank orders statuses; "" is below every stage.
func (s Status) rank() int {
	switch s {
	case StatusAttempted:
		return 1
	case StatusAccess:
		return 2
	case StatusTaken:
		return 3
	case StatusDelivered:
		return 4
	}
	return 0
}

// statusWords map the words of a status cell to a stage, tried in order:
// negative and partial forms before the positive words they contain
// (未交付 is not 交付; "not delivered" is not "delivered"; 待交付,
// "pending", is data taken and not yet handed over).
var statusWords = []struct {
	word   string
	status Status
}{
	{"未成功", StatusAttempted}, {"失败", StatusAttempted}, {"失敗", StatusAttempted}, {"未得手", StatusAttempted}, {"放弃", StatusAttempted},
	{"被发现", StatusAttempted}, {"尝试", StatusAttempted}, {"嘗試", StatusAttempted}, {"failed", StatusAttempted}, {"unsuccessful", StatusAttempted},
	{"not successful", StatusAttempted}, {"no access", StatusAttempted}, {"attempt", StatusAttempted}, {"abandoned", StatusAttempted},
	{"仅vpn", StatusAccess}, {"僅vpn", StatusAccess}, {"未深入", StatusAccess}, {"仅权限", StatusAccess}, {"僅權限", StatusAccess}, {"已控", StatusAccess},
	{"权限", StatusAccess}, {"權限", StatusAccess}, {"no data", StatusAccess}, {"access only", StatusAccess}, {"shell only", StatusAccess},
	{"foothold", StatusAccess}, {"access", StatusAccess},
	{"未交付", StatusTaken}, {"待交付", StatusTaken}, {"not delivered", StatusTaken}, {"undelivered", StatusTaken},
	{"已交付", StatusDelivered}, {"交付", StatusDelivered}, {"已提交", StatusDelivered}, {"已移交", StatusDelivered}, {"delivered", StatusDelivered},
	{"handed over", StatusDelivered}, {"sold", StatusDelivered},
	{"回传", StatusTaken}, {"回傳", StatusTaken}, {"清洗", StatusTaken}, {"翻译", StatusTaken}, {"翻譯", StatusTaken}, {"整理", StatusTaken},
	{"已获取", StatusTaken}, {"已獲取", StatusTaken}, {"拖库", StatusTaken}, {"拖庫", StatusTaken}, {"pending", StatusTaken}, {"exfil", StatusTaken},
	{"cleaned", StatusTaken}, {"cleaning", StatusTaken}, {"translating", StatusTaken}, {"obtained", StatusTaken}, {"dumped", StatusTaken},
	{"downloaded", StatusTaken}, {"in progress", StatusTaken},
}

// ReadStatus reads a status cell or phrase ("已交付", "仅VPN，未深入",
// "exfil in progress", "Failed – phishing not opened"), or "" when it
// names no stage.
func ReadStatus(cell string) Status {
	c := strings.ToLower(strings.TrimSpace(cell))
	if c == "" {
		return ""
	}
	for _, w := range statusWords {
		if strings.Contains(c, w.word) {
			return w.status
		}
	}
	return ""
}

// furthest returns the later of two stages.
func furthest(a, b Status) Status {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// contractorWords are what the names of the firms that run operations
// (and write the leaked documents) say about themselves: an information
// security or network technology company (诺德信息安全技术有限公司,
// "Nordhavn InfoSec Technology").
var contractorWords = []string{"信息安全", "資訊安全", "网络安全", "網絡安全", "網路安全", "安全技术", "安全技術", "网络科技", "網絡科技",
	"信息技术有限公司", "资讯科技", "infosec", "cyber security", "cybersecurity", "security technology", "security technologies"}

// contractorLike reports whether an organisation no target table lists
// names itself a security contractor: prose about the firm that did the
// work (its letterhead, its staff's chats, a leaker's note) is full of
// targeting words, yet it is the actor, not a target. A contractor that
// was itself hit is still a target when a table lists it.
func contractorLike(g *group) bool {
	for a := range g.aliases {
		lower := strings.ToLower(a)
		for _, w := range contractorWords {
			if strings.Contains(lower, w) {
				return true
			}
		}
	}
	return false
}

package org

// Body is a type of organisation: a ministry, a police force, a telecom
// operator. Canon is its English canonical form, the part of every key
// (IN|Ministry of Foreign Affairs) that lets a Chinese and an English
// mention of one organisation meet.
type Body struct {
	Canon  string
	Sector string
	// Strong bodies name one organisation per country, so a mention
	// without a country (外交部, 国家安全局) is still an organisation.
	Strong bool
	Zh     []string // Simplified and Traditional spellings
	En     []string // English spellings, matched case-insensitively on word boundaries
}

// Bodies is the curated multilingual gazetteer. Order does not matter: the
// longest spelling at a position wins.
var Bodies = []Body{
	{"Ministry of Foreign Affairs", "government / foreign affairs", true, []string{"外交部", "外务部", "外務部", "外交与国际合作部"}, []string{"Ministry of Foreign Affairs", "Ministry of External Affairs", "Department of Foreign Affairs", "Foreign Ministry", "Foreign Office", "MFA", "MOFA", "Ministry of Foreign and European Affairs"}},
	{"Ministry of Finance", "government / finance", true, []string{"财政部", "財政部"}, []string{"Ministry of Finance", "Finance Ministry", "Treasury", "Department of Finance", "MoF"}},
	{"Ministry of Interior", "government / interior", true, []string{"内政部", "內政部", "内务部", "內務部", "民政部"}, []string{"Ministry of Interior", "Ministry of the Interior", "Ministry of Home Affairs", "Interior Ministry", "Home Ministry", "Home Office", "MHA"}},
	{"Ministry of Defence", "military", true, []string{"国防部", "國防部"}, []string{"Ministry of Defence", "Ministry of Defense", "Defence Ministry", "Defense Ministry", "Department of Defense", "MoD"}},
	{"Ministry of Justice", "government / justice", true, []string{"司法部"}, []string{"Ministry of Justice", "Justice Ministry", "Department of Justice"}},
	{"Ministry of Health", "government / health", true, []string{"卫生部", "衛生部", "卫生和家庭福利部"}, []string{"Ministry of Health", "Health Ministry"}},
	{"Ministry of Education", "government / education", true, []string{"教育部"}, []string{"Ministry of Education", "Education Ministry"}},
	{"Ministry of Commerce", "government / trade", true, []string{"商务部", "商務部", "贸易部", "工商部"}, []string{"Ministry of Commerce", "Ministry of Trade", "Commerce Ministry"}},
	{"Ministry of Communications", "government / telecommunications", true, []string{"通信部", "电信部", "交通部", "邮电部"}, []string{"Ministry of Communications", "Ministry of Transport", "Department of Telecommunications"}},
	{"Office of the President", "government", true, []string{"总统府", "總統府", "总统办公室"}, []string{"Office of the President", "Presidential Office", "President's Office"}},
	{"Office of the Prime Minister", "government", true, []string{"总理府", "總理府", "总理办公室"}, []string{"Office of the Prime Minister", "Prime Minister's Office", "PMO"}},
	{"Parliament", "government / legislature", true, []string{"议会", "議會", "国会", "國會"}, []string{"Parliament", "National Assembly"}},
	{"Police headquarters", "law enforcement", true, []string{"警察总部", "警察總部", "警察总署"}, []string{"Police Headquarters", "Police Force", "National Police"}},
	{"Police", "law enforcement", false, []string{"警察局", "警察厅", "警察廳", "警方", "警察", "公安局", "公安厅", "公安部"}, []string{"Police", "police"}},
	{"Immigration", "government / border control", true, []string{"移民局", "出入境管理局", "出入境", "移民与海关", "移民部"}, []string{"Bureau of Immigration", "Immigration Department", "immigration", "Immigration"}},
	{"Customs", "government / border control", true, []string{"海关", "海關"}, []string{"Customs"}},
	{"Counter-terrorism centre", "law enforcement / counter-terrorism", true, []string{"反恐中心", "反恐怖中心", "反恐部门"}, []string{"anti-terrorism center", "anti-terrorism centre", "counter-terrorism center", "counter-terrorism centre", "Counter Terrorism Department"}},
	{"Intelligence agency", "intelligence", true, []string{"情报局", "情報局", "情报部门", "国家安全局"}, []string{"Intelligence Bureau", "intelligence agency", "Intelligence Agency"}},
	{"Military", "military", false, []string{"军方", "軍方", "军队", "陆军", "海军", "空军", "武装部队"}, []string{"Army", "Navy", "Air Force", "Armed Forces", "military"}},
	{"Government", "government", false, []string{"政府某部门", "政府某部門", "政府部门", "某部门", "某部門", "政府"}, []string{"government", "Government"}},
	{"Telecom operator", "telecommunications", false, []string{"电信运营商", "電信運營商", "某电信运营商", "电信公司", "電信公司", "电信", "電信", "移动", "移動", "运营商", "運營商"}, []string{"Telecom", "telecom", "Telecommunications", "telecom operator", "mobile operator", "Mobile", "Telekom", "Cellular", "Unicom"}},
	{"Hospital", "healthcare", false, []string{"医院", "醫院"}, []string{"Hospitals", "Hospital"}},
	{"Airline", "aviation", false, []string{"航空公司", "航空"}, []string{"Airlines", "Airways", "airline"}},
	{"University", "education", false, []string{"大学", "大學", "学院", "學院"}, []string{"University", "College", "Polytechnic"}},
	{"Bank", "finance", false, []string{"银行", "銀行", "中央银行", "央行"}, []string{"Bank"}},
	{"Research institute", "research", false, []string{"研究院", "研究所", "研究中心"}, []string{"Institute"}},
	{"Provident fund organisation", "government / social security", true, []string{"公积金组织", "公積金組織", "公积金"}, []string{"Provident Fund Organisation", "Provident Fund Organization"}},
	{"Electoral commission", "government", true, []string{"选举委员会", "選舉委員會"}, []string{"Election Commission", "Electoral Commission"}},
	{"Central bank", "finance", true, []string{"央行", "中央银行"}, []string{"Central Bank", "Reserve Bank"}},
	{"Committee", "government", false, []string{"委员会", "委員會"}, []string{"Commission", "Committee"}},
	{"Company", "business", false, []string{"公司", "集团", "集團", "有限公司", "有限责任公司", "有限責任公司", "股份有限公司", "株式会社", "控股"},
		[]string{"Corporation", "Company", "Limited", "Ltd", "Group", "Inc", "Holdings", "GmbH", "PLC", "LLC", "JSC", "OJSC", "Incorporated"}},
	// The kinds of companies and public bodies leaks name most, beyond
	// the government vocabulary above: each is weak (a name or a country
	// makes it an organisation), and the Chinese words are ones that end
	// a name (卡斯特拉诺航运, "Castellano Shipping"), not ones that start
	// common words (工程 alone is also engineering the subject).
	{"Shipping company", "transport / shipping", false, []string{"航运公司", "航運公司", "航运", "航運", "海运", "海運", "船务", "船務"}, []string{"Shipping", "Maritime", "Shipping Lines"}},
	{"Port authority", "transport / ports", false, []string{"港务局", "港務局", "港口管理局", "港务集团", "港務集團"}, []string{"Port Authority", "Ports Authority"}},
	{"Railway", "transport / rail", false, []string{"铁路公司", "鐵路公司", "铁路局", "鐵路局", "铁路", "鐵路"}, []string{"Railway", "Railways"}},
	{"Airport", "transport / aviation", false, []string{"机场", "機場", "国际机场", "國際機場"}, []string{"Airport", "International Airport"}},
	{"Power utility", "energy / power utility", false, []string{"电力公司", "電力公司", "电力", "電力", "电网", "電網", "水电", "水電", "能源公司"}, []string{"Power", "Electric", "Electricity", "Energy", "Hydro", "Grid"}},
	{"Petrochemical company", "energy / petrochemicals", false, []string{"石化", "石油化工", "石油公司", "石油天然气"}, []string{"Petrochemicals", "Petrochemical", "Petroleum", "Oil"}},
	{"Mining company", "mining", false, []string{"矿业", "礦業", "锂业", "鋰業", "矿产公司", "礦產公司"}, []string{"Mining", "Minerals", "Lithium"}},
	{"Aerospace company", "aerospace / defence industry", false, []string{"航空航天", "航天"}, []string{"Aerospace"}},
	{"Engineering company", "engineering", false, []string{"工程公司", "海洋工程", "工程集团"}, []string{"Engineering"}},
	{"Insurance company", "finance / insurance", false, []string{"保险公司", "保險公司", "保险集团", "保險集團"}, []string{"Insurance", "Assurance"}},
	{"Laboratory", "research", false, []string{"实验室", "實驗室"}, []string{"Laboratory", "Laboratories"}},
	{"Broadcaster", "media", false, []string{"电视台", "電視台", "广播公司", "廣播公司", "通讯社", "通訊社", "报社", "報社"}, []string{"Broadcasting", "Television", "News Agency"}},
	{"Centre", "government", false, []string{"中心"}, []string{"Centre", "Center"}},
	{"Bureau", "government", false, []string{"局", "厅", "廳", "署"}, []string{"Bureau", "Agency", "Authority", "Board"}},
	// A ministry the gazetteer has no entry for: 海岸事务部, "Ministry of
	// Coastal Affairs". Weak: it needs a country or a written name.
	{"Ministry", "government", false, []string{"事务部", "事務部"}, []string{"Ministry"}},
	{"Embassy", "government / foreign affairs", true, []string{"大使馆", "大使館", "使馆"}, []string{"Embassy"}},
}

// qualifiers stand between a country and a body and are part of the name.
var qualifiers = map[string]string{
	"总统": "President's", "總統": "President's", "总理": "Prime Minister's", "國家": "National", "国家": "National",
	"联邦": "Federal", "聯邦": "Federal", "中央": "Central", "皇家": "Royal", "最高": "Supreme",
}

// enQualifiers are English words that qualify a body the same way.
var enQualifiers = map[string]string{"President's": "President's", "Presidential": "President's", "Federal": "Federal", "National": "National", "Royal": "Royal", "Central": "Central"}

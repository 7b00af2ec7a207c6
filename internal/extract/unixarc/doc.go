// Package unixarc reads the archive formats of Unix packaging: ar (the
// members of a .deb or a static library) and cpio (initramfs images, RPM
// payloads, firmware), in Go.
//
// # Member
//
// Each regular file is a child named by its path in the archive, byte for
// byte: the pipeline checks hostile names ("../x", "/etc/passwd"). A
// symbolic link is a child with Link set and no body; directories, device
// nodes and the cpio trailer are not members. GNU ar's long-name table
// ("//") is followed; BSD ar's "#1/<n>" names are read from the member.
//
// # Bounds
//
// At most Limits.MaxEntries members are read; a member's declared size is
// what the pipeline reads, checked against its own budgets, and a size
// beyond the end of the file ends the archive as damaged.
package unixarc

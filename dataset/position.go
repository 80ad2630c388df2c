package dataset

// PositionAt returns the position of a byte offset in data, counted as every other position of
// this package is (lines end at "\n", "\r\n" or "\r"; columns count runes). It serves findings
// that are about bytes rather than JSON values, such as the first byte that is not UTF-8.
func PositionAt(data []byte, off int) Position {
	lc := lineCounter{data: data, line: 1, col: 1}
	return lc.at(off)
}

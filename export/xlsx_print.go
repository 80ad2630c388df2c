package export

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// pageSetup makes a sheet print legibly: landscape, the header row (and, on a table too wide
// for one page, the id column) repeated on every page, as many pages down as it takes. A
// documentation sheet is one page wide; a table as many pages wide as keep its text at about
// two thirds of its size or more (a 60-column table fitted to one page prints unreadably
// small). It also tells Excel that text cells holding digits (a year-only date, "2021") are
// text on purpose, so that it does not flag them "number stored as text". It is called
// before the sheet is streamed: excelize's stream writer writes these settings when it flushes.
func pageSetup(f *excelize.File, sheet, ref string, header bool, widths []float64) error {
	wide := 1
	if sheet != readmeSheet && sheet != codebookSheet {
		px := 0.0
		for _, w := range widths {
			px += w*pxPerWidth + 5
		}
		wide = max(1, int(math.Ceil(px/pxPerPage)))
	}
	landscape, tall := "landscape", 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.AddIgnoredErrors(sheet, ref, excelize.IgnoredErrorsNumberStoredAsText); err != nil {
		return err
	}
	if !header {
		return nil
	}
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
	titles := quoted + "$1:$1"
	if wide > 1 {
		titles = quoted + "$A:$A," + titles
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet, RefersTo: titles})
}

// Print widths: pixels per unit of column width (Calibri 11), and the pixels of a table that
// one landscape A4 page holds at about two thirds of full size.
const (
	pxPerWidth = 7.0
	pxPerPage  = 1500.0
)

// Wrapped text in a documentation sheet: how many characters fit in one unit of column width
// (the width of a digit; prose in Calibri or its metric twin Carlito is narrower, so this
// errs towards one line too many, never one too few), and the height of one line in points.
const (
	charsPerWidth = 1.15
	lineHeight    = 15.0
)

// wrappedLines estimates the lines a text takes when wrapped at word boundaries in a column
// of the given width.
func wrappedLines(s string, width float64) int {
	capacity := max(int(width*charsPerWidth)-1, 1)
	lines := 0
	for _, para := range strings.Split(s, "\n") {
		lines++
		n := 0
		for _, w := range strings.Fields(para) {
			l := utf8.RuneCountInString(w)
			switch {
			case n == 0:
				n = l
			case n+1+l <= capacity:
				n += 1 + l
			default:
				lines++
				n = l
			}
			for n > capacity { // a word longer than the line breaks anywhere
				lines++
				n -= capacity
			}
		}
	}
	return lines
}

// rowHeight is the height in points of a row of wrapped text.
func rowHeight(lines int) float64 {
	return float64(lines)*lineHeight + 2
}

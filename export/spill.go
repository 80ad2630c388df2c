package export

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// A spill file holds the rows of one table while the CSV files are written, for the workbook
// to read back sheet by sheet: the CSV files cannot serve, since they neutralise formula
// triggers and do not tell an absent value from an empty text. Each cell is a uvarint, 0 for
// an absent value or 1 + the length of the text, followed by the text.

func (o *tableOut) startSpill(dir string) error {
	f, err := os.CreateTemp(dir, "."+o.t.Name+".*.spill")
	if err != nil {
		return &OutError{Path: dir, Err: err, Fix: "make the folder writable or choose another with --out"}
	}
	o.spill = f
	o.sw = bufio.NewWriterSize(f, 1<<16)
	return nil
}

// spillFail names what a spill file's error is about: the rows of its table, for file (the
// output file they go to), not the temporary file.
func (o *tableOut) spillFail(file string, err error) error {
	out := filepath.Dir(filepath.Dir(filepath.Dir(o.spill.Name()))) // <out>/.apmd-stage-*/.tmp/<spill>
	return &OutError{Path: filepath.Join(out, file), Err: fmt.Errorf("keeping the rows of table %s in a temporary file: %w", o.t.Name, err), Fix: fixSpace}
}

func (o *tableOut) removeSpill() {
	if o.spill != nil {
		o.spill.Close()
		os.Remove(o.spill.Name())
	}
}

func writeSpillRow(w *bufio.Writer, row []Cell) error {
	var n [binary.MaxVarintLen64]byte
	for _, c := range row {
		if c.Null {
			if err := w.WriteByte(0); err != nil {
				return err
			}
			continue
		}
		if _, err := w.Write(n[:binary.PutUvarint(n[:], uint64(len(c.Value))+1)]); err != nil {
			return err
		}
		if _, err := w.WriteString(c.Value); err != nil {
			return err
		}
	}
	return nil
}

// sheet ends the spill file and returns the table as the workbook reads it.
func (o *tableOut) sheet() (*sheetTable, error) {
	if err := o.sw.Flush(); err != nil {
		return nil, o.spillFail(WorkbookFile, err)
	}
	if _, err := o.spill.Seek(0, io.SeekStart); err != nil {
		return nil, o.spillFail(WorkbookFile, err)
	}
	s := &sheetTable{t: o.t, rows: o.rows, widths: make([]float64, len(o.widths))}
	for i, w := range o.widths {
		s.widths[i] = clampWidth(w + 1)
	}
	r := bufio.NewReaderSize(o.spill, 1<<16)
	row := make([]Cell, len(o.t.Columns))
	var buf []byte
	s.next = func() ([]Cell, error) {
		for i := range row {
			n, err := binary.ReadUvarint(r)
			if err != nil {
				return nil, fmt.Errorf("reading back %s: %w", o.spill.Name(), err)
			}
			if n == 0 {
				row[i] = Cell{Null: true}
				continue
			}
			if cap(buf) < int(n-1) {
				buf = make([]byte, n-1)
			}
			buf = buf[:n-1]
			if _, err := io.ReadFull(r, buf); err != nil {
				return nil, fmt.Errorf("reading back %s: %w", o.spill.Name(), err)
			}
			row[i] = Cell{Value: string(buf)}
		}
		return row, nil
	}
	return s, nil
}

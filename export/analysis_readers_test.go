package export

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apmd-data/apmd"
)

// pandasScript is what a researcher types, with default readers: read events from the CSV
// file and from the workbook, check that the counted columns are numbers, sum killed over
// events, and make killed per group per year in a few lines.
const pandasScript = `
import sys, json, pandas as pd
out = {}
for how, ev in [("csv", pd.read_csv(sys.argv[1] + "/events.csv")),
                ("xlsx", pd.read_excel(sys.argv[1] + "/apmd.xlsx", sheet_name="events"))]:
    counted = [c for c in ev.columns if c.startswith(("killed_", "injured_")) and c.endswith(("_low", "_best", "_high"))]
    # killed per group per year (the README snippet):
    ev["group"] = ev.perpetrator_group_names.str.split(" | ", regex=False)
    per = ev.explode("group").groupby(["group", "year_best"], dropna=False).killed_best.sum()
    out[how] = {
        "not_numeric": [c for c in counted if not pd.api.types.is_numeric_dtype(ev[c])],
        "killed_best": float(ev.killed_best.sum()),
        "killed_low": float(ev.killed_low.sum()),
        "per_group_year": {"%s|%s" % (g, "" if pd.isna(y) else int(y)): float(v) for (g, y), v in per.items()},
    }
print(json.dumps(out))
`

// TestPandasCounts runs pandasScript on Stream's output of the counting fixture and of the
// bundled dataset, and compares its sums with the CSV file's.
func TestPandasCounts(t *testing.T) {
	python := pandasPython(t)
	for _, tc := range []struct {
		name string
		fsys fs.FS
	}{{"counting", os.DirFS(countingDir)}, {"embedded", apmd.Data()}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := streamTo(t, tc.fsys)
			b, err := exec.Command(python, "-c", pandasScript, dir).CombinedOutput()
			if err != nil {
				t.Fatalf("pandas: %v\n%s", err, b)
			}
			var got map[string]struct {
				NotNumeric   []string           `json:"not_numeric"`
				KilledBest   float64            `json:"killed_best"`
				KilledLow    float64            `json:"killed_low"`
				PerGroupYear map[string]float64 `json:"per_group_year"`
			}
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("%v: %s", err, b)
			}
			_, events, _ := csvTable(t, filepath.Join(dir, tableEvents+".csv"))
			var best, low float64
			per := map[string]float64{}
			for _, r := range events {
				b, _ := strconv.ParseFloat(r["killed_best"], 64)
				l, _ := strconv.ParseFloat(r["killed_low"], 64)
				best, low = best+b, low+l
				groups := strings.Split(r["perpetrator_group_names"], Separator)
				if r["perpetrator_group_names"] == "" {
					groups = []string{"nan"}
				}
				for _, g := range groups {
					per[g+"|"+r["year_best"]] += b
				}
			}
			for _, how := range []string{"csv", "xlsx"} {
				g := got[how]
				if len(g.NotNumeric) > 0 {
					t.Errorf("%s: pandas reads %v as text, want numbers", how, g.NotNumeric)
				}
				if g.KilledBest != best || g.KilledLow != low {
					t.Errorf("%s: pandas sums killed_best %v, killed_low %v; the CSV holds %v and %v", how, g.KilledBest, g.KilledLow, best, low)
				}
				if fmt.Sprint(g.PerGroupYear) != fmt.Sprint(per) {
					t.Errorf("%s: killed per group per year\n%v\nwant\n%v", how, g.PerGroupYear, per)
				}
			}
		})
	}
}

package wording

import (
	"reflect"
	"strings"
	"testing"
)

func TestNumbers(t *testing.T) {
	for text, want := range map[string][]int64{
		"over 113":                        {113},
		"13 US servicemen":                {13},
		"1,200 people":                    {1200},
		"three police officers":           {3},
		"twenty-five dead":                {25},
		"a dozen soldiers":                {12},
		"a Chinese citizen":               {1},
		"an estimated 40 people":          {40},
		"a minimum of 5":                  {5},
		"between 10 and 15":               {10, 15},
		"two hundred people":              {200},
		"dozens":                          nil,
		"several people":                  nil,
		"a few people":                    nil,
		"claimed the life of Khalil":      nil,
		"deadly":                          nil,
		"the 2024 attack that killed 12":  {2024, 12},
		"killing 12 people, injuring 30.": {12, 30},
	} {
		if got := Numbers(text); !reflect.DeepEqual(got, want) {
			t.Errorf("Numbers(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestQualifiers(t *testing.T) {
	for text, want := range map[string]string{
		"over 113":                 "more_than",
		"more than 30 people":      "more_than",
		"at least 12":              "at_least",
		"nearly 40":                "approximately",
		"some 40 people":           "approximately",
		"up to 20":                 "at_most",
		"fewer than 5":             "fewer_than",
		"dozens of attacks":        "many",
		"several":                  "several",
		"a few civilians":          "several",
		"13 US servicemen":         "",
		"some people":              "",
		"over the border":          "",
		"about the attack, 3 dead": "",
		"between 10 and 15 killed": "range",
	} {
		got := ""
		if cs := Qualifiers(text); len(cs) > 0 {
			got = cs[0].Qualifier
		}
		if got != want {
			t.Errorf("Qualifiers(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestFindAndCueBefore(t *testing.T) {
	// Find and CueBefore take text whose white space is normalised already (the validator's
	// normaliser): one space between words.
	quote := "which resulted in the death of over 113 people including 13 US servicemen"
	m := Find(quote, "13 US servicemen")
	if m.Start < 0 || m.Folded {
		t.Fatalf("Find: %+v", m)
	}
	m = Find(quote, "113 people")
	c, at, ok := CueBefore(quote, m.Start)
	if !ok || c.Qualifier != "more_than" || c.Phrase != "over" || quote[at:m.End] != "over 113 people" {
		t.Errorf("CueBefore(113 people) = %+v, %v; want over", c, ok)
	}
	if _, _, ok := CueBefore(quote, Find(quote, "13 US servicemen").Start); ok {
		t.Error("CueBefore found a cue before '13 US servicemen' ('including' is none)")
	}
	if m := Find(quote, "13 us servicemen"); m.Start < 0 || !m.Folded {
		t.Errorf("case-folded Find: %+v", m)
	}
	q := "a rally of no more than 5 people"
	if c, _, ok := CueBefore(q, strings.Index(q, "5")); !ok || c.Qualifier != "at_most" {
		t.Errorf("CueBefore(no more than 5) = %+v, %v; want at_most (the longest cue)", c, ok)
	}
	if m := Find("killing over 113 people", "13 people"); m.Start >= 0 {
		t.Errorf("Find found 13 people inside 113 people: %+v", m)
	}
	if ms := All("between 7 and 11 people, including 7 civilians", "7"); len(ms) != 2 || ms[1].Start != 35 {
		t.Errorf("All(7) = %+v, want both places", ms)
	}
	if m := Find("Kabul’s airport", "Kabul"); m.Start != 0 {
		t.Errorf("Find(Kabul) in Kabul’s = %+v", m)
	}
	if m := Find(quote, "12 people"); m.Start >= 0 {
		t.Errorf("Find(12 people) = %+v, want absent", m)
	}
}

func TestDates(t *testing.T) {
	for text, want := range map[string][]Mention{
		"On December 11, 2024":           {{Year: 2024, Month: 12, Day: 11, Text: "December 11, 2024"}},
		"on the morning of 14 July 2031": {{Year: 2031, Month: 7, Day: 14, Text: "14 July 2031"}},
		"in April 2025":                  {{Year: 2025, Month: 4, Text: "April 2025"}},
		"the January 2026 bombing":       {{Year: 2026, Month: 1, Text: "January 2026"}},
		"since 2021":                     {{Year: 2021, Text: "2021"}},
		"earlier this year":              nil,
		"the last 2 years":               nil,
		"Tuesday, May 21, 2024":          {{Year: 2024, Month: 5, Day: 21, Text: "May 21, 2024"}},
		"groups may attack":              nil,
		"in August":                      {{Month: 8, Text: "August"}},
	} {
		if got := Dates(text); !reflect.DeepEqual(got, want) {
			t.Errorf("Dates(%q) = %+v, want %+v", text, got, want)
		}
	}
}

func TestClosest(t *testing.T) {
	quote := "A car bomb exploded at the market on July 14, 2031, killing 12 people and injuring 30."
	if got := Closest(quote, "13 people"); got != "12 people" {
		t.Errorf("Closest = %q, want %q", got, "12 people")
	}
	if got := Closest(quote, "July 13, 2031"); got != "July 14, 2031" {
		t.Errorf("Closest = %q, want %q", got, "July 14, 2031")
	}
}

func TestMentionString(t *testing.T) {
	for m, want := range map[Mention]string{
		{Year: 2031, Month: 7, Day: 14}: "July 14, 2031", {Year: 2021, Month: 8}: "August 2021",
		{Year: 2021}: "2021", {Month: 7, Day: 14}: "July 14",
	} {
		if got := m.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", m, got, want)
		}
	}
}

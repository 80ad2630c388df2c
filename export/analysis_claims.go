package export

import "github.com/apmd-data/apmd/schema"

// The columns of the claims_flat table (one row per claim): who made the statement and
// through which channel, when, what it says, the incidents and groups it is about and who
// disputes it, each id with its name or title beside it. The building blocks are in
// analysis.go.

// claimColumns lays out claims_flat.
func claimColumns(b *analysisBuilder, clm, grp, inc *schema.Node) {
	b.add(required(fromSchema(colID, b.need(clm, "id"))), valueAt("id"))
	b.add(fromSchema("type", b.need(clm, "type")), valueAt("type"))
	b.add(fromSchema("status", b.need(clm, "status")), valueAt("status"))
	claimantColumns(b, b.need(clm, "claimant"))
	if channel := nodeAt(clm, "channel"); channel != nil {
		b.add(fromSchema("channel_kind", b.need(channel, "kind")), valueAt("channel", "kind"))
		oid := b.add(fromSchema("channel_outlet_id", b.need(channel, "outlet")), valueAt("channel", "outlet"))
		b.add(&Column{Name: "channel_outlet_name", Type: TypeString, Title: "Outlet name",
			Description: "The canonical name (groups.name) of channel_outlet_id."},
			names(oid, groupName))
	}
	dateColumns(b, nodeAt(clm, "date"))
	b.add(fromSchema("statement", b.need(clm, "statement")), valueAt("statement"))
	memberColumns(b, clm, "count")
	aboutColumns(b, clm, grp, inc)
	if disputed := nodeAt(clm, "disputed_by"); disputed != nil {
		text, group := b.need(disputed, "*", "text"), b.need(disputed, "*", "group")
		b.add(listColumn("disputed_by", disputed.Title, text.Description+" Each disputing party's words, in order.", text), list("disputed_by", "*", "text"))
		ids := b.add(listColumn("disputed_by_group_ids", "Disputing groups", group.Description, group), list("disputed_by", "*", "group"))
		b.groupNames(ids, "disputed_by_group_names", "Disputing group names")
	}
	b.add(listColumn("source_ids", "Sources", "The sources the record's evidence quotes (sources.id), in order of first use.", nodeAt(clm, "evidence", "*", "source")),
		acol{get: func(f *facts) (Cell, error) { return joinList(sources(f.rec)) }})
}

// claimantColumns lays out who made the statement: by name (the group's name when the
// claimant is a group), kind, the name and role the source gives, and the group.
func claimantColumns(b *analysisBuilder, claimant *schema.Node) {
	display := b.add(&Column{Name: "claimant", Type: TypeString, Title: "Claimant (name)",
		Description: "Who made the statement, by name: the group's canonical name (groups.name) when the claimant is a group, else the name the source gives (claimant_source_name)."},
		acol{get: func(f *facts) (Cell, error) { return text(str(lookup(f.rec, []string{"claimant", "name"}))), nil }})
	kind := b.add(fromSchema("claimant_kind", b.need(claimant, "kind")), valueAt("claimant", "kind"))
	if n := nodeAt(claimant, "name"); n != nil {
		b.add(fromSchema("claimant_source_name", n), valueAt("claimant", "name"))
	}
	if n := nodeAt(claimant, "role"); n != nil {
		b.add(fromSchema("claimant_role", n), valueAt("claimant", "role"))
	}
	gid := b.add(fromSchema("claimant_group_id", b.need(claimant, "group")), valueAt("claimant", "group"))
	b.add(&Column{Name: "claimant_group_name", Type: TypeString, Title: "Claimant group name",
		Description: "The canonical name (groups.name) of claimant_group_id."},
		names(gid, groupName))
	b.spec.cols[display].late = func(ix *crossIndex, row []Cell) (Cell, error) {
		if g, ok := ix.groups[row[gid].Value]; ok && row[kind].Value == schema.ClaimantGroup {
			return text(g.name), nil
		}
		return row[display], nil
	}
}

// aboutColumns lays out what the claim is about: its incidents with their titles, its
// groups with their names.
func aboutColumns(b *analysisBuilder, clm, grp, inc *schema.Node) {
	about := b.need(clm, "incidents")
	iid := b.add(listColumn("incident_ids", about.Title, about.Description, b.need(inc, "id")), list("incidents", "*"))
	b.add(listColumn("incident_titles", "Incident titles", "The titles (incidents.title) of incident_ids, in the same order.", nil),
		acol{late: func(ix *crossIndex, row []Cell) (Cell, error) {
			return joinList(mapIDs(row[iid], func(id string) string { return ix.incidents[id].title }))
		}})
	groups := b.need(clm, "groups")
	ids := b.add(listColumn("group_ids", groups.Title, groups.Description, b.need(grp, "id")), list("groups", "*"))
	b.groupNames(ids, "group_names", "Group names")
}

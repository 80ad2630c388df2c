package synth

// The word lists the generator draws from. Places are real (so that records read like the
// curated ones); groups, people and publishers are invented, so that no synthetic record can
// be mistaken for a claim about a real organisation.

type place struct {
	country, province, city string
	sites                   []string
}

var places = []place{
	{"AF", "Kabul", "Kabul", []string{"Dasht-e-Barchi", "Karte Sakhi", "Shash Darak", "Khair Khana"}},
	{"AF", "Nangarhar", "Jalalabad", []string{"Chowk-e-Talashi", "the Jalalabad bus terminal"}},
	{"AF", "Kandahar", "Kandahar", []string{"Aino Mina", "the Kandahar airfield road"}},
	{"AF", "Herat", "Herat", []string{"Jebrael", "the Herat grand mosque area"}},
	{"AF", "Kunduz", "Kunduz", []string{"Sayed Abad", "the Kunduz city square"}},
	{"AF", "Balkh", "Mazar-i-Sharif", []string{"the Blue Mosque area", "Karte Sulh"}},
	{"AF", "Ghazni", "Ghazni", []string{"the Ghazni highway checkpoint"}},
	{"AF", "Khost", "Khost", []string{"the Khost provincial council compound"}},
	{"AF", "Helmand", "Lashkar Gah", []string{"Bolan bridge", "the Lashkar Gah bazaar"}},
	{"AF", "Kunar", "Asadabad", []string{"the Asadabad district centre"}},
	{"AF", "Badakhshan", "Faizabad", []string{"the Faizabad police headquarters"}},
	{"AF", "Paktia", "Gardez", []string{"the Gardez city market"}},
	{"PK", "Khyber Pakhtunkhwa", "Peshawar", []string{"Qissa Khwani Bazaar", "Hayatabad", "the Peshawar police lines"}},
	{"PK", "Khyber Pakhtunkhwa", "Bannu", []string{"the Bannu cantonment"}},
	{"PK", "Khyber Pakhtunkhwa", "Dera Ismail Khan", []string{"the Daraban road checkpoint"}},
	{"PK", "Khyber Pakhtunkhwa", "Miranshah", []string{"the Miranshah bazaar"}},
	{"PK", "Khyber Pakhtunkhwa", "Bajaur", []string{"Khar tehsil"}},
	{"PK", "Balochistan", "Quetta", []string{"Hazara Town", "the Quetta railway station", "Jinnah Road"}},
	{"PK", "Balochistan", "Gwadar", []string{"the Gwadar port complex"}},
	{"PK", "Balochistan", "Turbat", []string{"the Turbat naval air station road"}},
	{"PK", "Balochistan", "Chaman", []string{"the Friendship Gate crossing"}},
	{"PK", "Sindh", "Karachi", []string{"Saddar", "Lyari", "the Karachi university campus"}},
	{"PK", "Punjab", "Lahore", []string{"Data Darbar", "Allama Iqbal Town"}},
	{"PK", "Islamabad Capital Territory", "Islamabad", []string{"the G-11 court complex"}},
}

// attackForms pairs an event type with the methods and wording that go with it.
type attackForm struct {
	eventType string
	method    string // "" when the source does not say
	noun      string // "a suicide bombing"
}

var attackForms = []attackForm{
	{"bombing_explosion", "suicide_bombing", "a suicide bombing"},
	{"bombing_explosion", "vehicle_bomb", "a car bomb explosion"},
	{"bombing_explosion", "remote_explosive", "a roadside bomb blast"},
	{"bombing_explosion", "remote_explosive", "a magnetic bomb attack"},
	{"bombing_explosion", "bombing_unspecified", "an explosion"},
	{"armed_assault", "gunfire", "a gun attack"},
	{"armed_assault", "gunfire", "an armed assault"},
	{"armed_assault", "", "an attack by armed men"},
	{"facility_attack", "remote_explosive", "a bomb attack on infrastructure"},
	{"kidnapping", "", "an abduction"},
	{"armed_clash", "gunfire", "a clash between militants and security forces"},
}

type target struct {
	typ, description, victims, people string // people: how the sentence counts the victims
}

var targets = []target{
	{"police", "a police checkpoint", "security_forces", "police officers"},
	{"police", "a police station", "security_forces", "policemen"},
	{"military", "an army convoy", "security_forces", "soldiers"},
	{"military", "a paramilitary post", "security_forces", "paramilitary troops"},
	{"civilians", "a crowded market", "civilians", "civilians"},
	{"civilians", "a passenger bus", "civilians", "passengers"},
	{"religious_figures", "a mosque during Friday prayers", "civilians", "worshippers"},
	{"religious_minority", "a Shia gathering", "civilians", "Shia worshippers"},
	{"educational", "a girls' school", "civilians", "students"},
	{"government", "the district governor's office", "officials", "officials"},
	{"de_facto_authority", "a Taliban checkpoint", "group_members", "Taliban fighters"},
	{"business", "a mobile phone tower", "civilians", "workers"},
	{"foreign_nationals", "a vehicle carrying foreign engineers", "foreign_nationals", "foreign engineers"},
}

var (
	groupPrefixes = []string{"Tehrik-e", "Lashkar-e", "Jaish-e", "Harakat-ul", "Jamaat-ul", "Hizb-e", "Ansar-ul", "Junud-ul", "Majlis-e", "Sipah-e"}
	groupCores    = []string{"Noor", "Haq", "Furqan", "Ahrar", "Tawheed", "Fath", "Qadisiya", "Mizan", "Burhan", "Sabr", "Nusrat", "Iqbal", "Zarb", "Hilal", "Sadiq", "Wahdat", "Rashid", "Shahadat", "Tayyab", "Ghazwa"}
	groupRegions  = []string{"", "Khorasan", "Waziristan", "Hind", "Kohistan", "Sindh", "Makran", "Pamir", "Swat", "Tirah"}
	groupTypes    = []struct{ typ, phrase string }{
		{"militant_group", "a militant group"},
		{"insurgent_movement", "an insurgent movement"},
		{"jihadist_affiliate", "a regional affiliate of a transnational jihadist organisation"},
		{"separatist_movement", "a separatist movement"},
		{"coalition", "an alliance of militant factions"},
	}
	outletWords = []string{"Media Foundation", "News Agency", "Media Centre", "Voice"}
	relations   = []struct{ typ, phrase string }{
		{"affiliate_of", "is an affiliate of"},
		{"allied_with", "is allied with"},
		{"rival_of", "is a rival of"},
		{"faction_of", "is a faction of"},
		{"member_of", "is a member of"},
	}

	publishers = []string{"Frontier Daily Monitor", "The Kabul Observer", "Indus Evening Post", "Hindu Kush Review", "South Asia Security Brief", "The Quetta Ledger", "Khyber Weekly", "Regional Conflict Watch"}
	firstNames = []string{"Ayesha", "Farid", "Hamid", "Laila", "Nadia", "Omar", "Sana", "Tariq", "Zainab", "Yusuf", "Mariam", "Rahim", "Samina", "Wali"}
	lastNames  = []string{"Khan", "Ahmadzai", "Baloch", "Durrani", "Hashimi", "Karimi", "Mohmand", "Qureshi", "Rahimi", "Sadozai", "Yousafzai", "Zaman"}
	fillers    = []string{
		"Residents said security had been tightened in the area in recent weeks.",
		"The area was cordoned off and an investigation was launched.",
		"Hospitals in the city appealed for blood donations.",
		"Analysts said the attack reflected a worsening security situation in the region.",
		"The government condemned the attack and promised to bring those responsible to justice.",
		"Local elders called for calm after the attack.",
		"Officials did not give further details.",
		"Witnesses described scenes of panic as people fled the area.",
	}
	months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

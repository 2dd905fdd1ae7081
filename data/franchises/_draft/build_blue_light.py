#!/usr/bin/env python3
"""Build blue_light.csv and blue_light_organisations.csv from lads.csv.
Draft: assignments written by hand from statute/orders listed in SOURCES.md."""
import csv, os

HERE = os.path.dirname(os.path.abspath(__file__))
LADS = os.path.join(HERE, '..', '..', 'boundaries', 'lads.csv')

SOS = "Secretary of State for Health and Social Care"
# id: (name, kind, website, notes, accountable_to)
ORGS = {
 # ---------------- police: 43 territorial forces of England and Wales + Scotland + NI
 'police-avon-and-somerset': ("Avon and Somerset Police", "police", "https://www.avonandsomerset.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Avon and Somerset Police and Crime Commissioner"),
 'police-bedfordshire': ("Bedfordshire Police", "police", "https://www.bedfordshire.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Bedfordshire Police and Crime Commissioner"),
 'police-cambridgeshire': ("Cambridgeshire Constabulary", "police", "https://www.cambs.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Cambridgeshire Police and Crime Commissioner"),
 'police-cheshire': ("Cheshire Constabulary", "police", "https://www.cheshire.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Cheshire Police and Crime Commissioner"),
 'police-city-of-london': ("City of London Police", "police", "https://www.cityoflondon.police.uk", "Police force for the City of London; the Common Council of the City of London is its police authority", "City of London Corporation (Court of Common Council, as police authority)"),
 'police-cleveland': ("Cleveland Police", "police", "https://www.cleveland.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Cleveland Police and Crime Commissioner"),
 'police-cumbria': ("Cumbria Constabulary", "police", "https://www.cumbria.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Cumbria Police, Fire and Crime Commissioner"),
 'police-derbyshire': ("Derbyshire Constabulary", "police", "https://www.derbyshire.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Derbyshire Police and Crime Commissioner"),
 'police-devon-and-cornwall': ("Devon and Cornwall Police", "police", "https://www.devon-cornwall.police.uk", "Territorial police force (Police Act 1996 Sch. 1); includes the Isles of Scilly", "Devon and Cornwall Police and Crime Commissioner"),
 'police-dorset': ("Dorset Police", "police", "https://www.dorset.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Dorset Police and Crime Commissioner"),
 'police-durham': ("Durham Constabulary", "police", "https://www.durham.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Durham Police and Crime Commissioner"),
 'police-dyfed-powys': ("Dyfed-Powys Police", "police", "https://www.dyfed-powys.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Dyfed-Powys Police and Crime Commissioner"),
 'police-essex': ("Essex Police", "police", "https://www.essex.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Essex Police, Fire and Crime Commissioner"),
 'police-gloucestershire': ("Gloucestershire Constabulary", "police", "https://www.gloucestershire.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Gloucestershire Police and Crime Commissioner"),
 'police-greater-manchester': ("Greater Manchester Police", "police", "https://www.gmp.police.uk", "Territorial police force; PCC functions held by the Mayor of Greater Manchester since May 2017", "Mayor of Greater Manchester"),
 'police-gwent': ("Gwent Police", "police", "https://www.gwent.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Gwent Police and Crime Commissioner"),
 'police-hampshire-and-isle-of-wight': ("Hampshire and Isle of Wight Constabulary", "police", "https://www.hampshire.police.uk", "Territorial police force (Police Act 1996 Sch. 1); formerly Hampshire Constabulary", "Hampshire and Isle of Wight Police and Crime Commissioner"),
 'police-hertfordshire': ("Hertfordshire Constabulary", "police", "https://www.herts.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Hertfordshire Police and Crime Commissioner"),
 'police-humberside': ("Humberside Police", "police", "https://www.humberside.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Humberside Police and Crime Commissioner"),
 'police-kent': ("Kent Police", "police", "https://www.kent.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Kent Police and Crime Commissioner"),
 'police-lancashire': ("Lancashire Constabulary", "police", "https://www.lancashire.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Lancashire Police and Crime Commissioner"),
 'police-leicestershire': ("Leicestershire Police", "police", "https://www.leics.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Leicestershire Police and Crime Commissioner"),
 'police-lincolnshire': ("Lincolnshire Police", "police", "https://www.lincs.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Lincolnshire Police and Crime Commissioner"),
 'police-merseyside': ("Merseyside Police", "police", "https://www.merseyside.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Merseyside Police and Crime Commissioner"),
 'police-metropolitan': ("Metropolitan Police Service", "police", "https://www.met.police.uk", "Territorial police force for Greater London excluding the City of London", "Mayor of London (Mayor's Office for Policing and Crime)"),
 'police-norfolk': ("Norfolk Constabulary", "police", "https://www.norfolk.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Norfolk Police and Crime Commissioner"),
 'police-north-wales': ("North Wales Police", "police", "https://www.north-wales.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "North Wales Police and Crime Commissioner"),
 'police-north-yorkshire': ("North Yorkshire Police", "police", "https://www.northyorkshire.police.uk", "Territorial police force; PCC functions held by the Mayor of York and North Yorkshire since May 2024", "Mayor of York and North Yorkshire"),
 'police-northamptonshire': ("Northamptonshire Police", "police", "https://www.northants.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Northamptonshire Police, Fire and Crime Commissioner"),
 'police-northumbria': ("Northumbria Police", "police", "https://www.northumbria.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Northumbria Police and Crime Commissioner"),
 'police-nottinghamshire': ("Nottinghamshire Police", "police", "https://www.nottinghamshire.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Nottinghamshire Police and Crime Commissioner"),
 'police-south-wales': ("South Wales Police", "police", "https://www.south-wales.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "South Wales Police and Crime Commissioner"),
 'police-south-yorkshire': ("South Yorkshire Police", "police", "https://www.southyorks.police.uk", "Territorial police force; PCC functions held by the Mayor of South Yorkshire since 7 May 2024 (SI 2024/414)", "Mayor of South Yorkshire"),
 'police-staffordshire': ("Staffordshire Police", "police", "https://www.staffordshire.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Staffordshire Commissioner for Police, Fire and Rescue and Crime"),
 'police-suffolk': ("Suffolk Constabulary", "police", "https://www.suffolk.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Suffolk Police and Crime Commissioner"),
 'police-surrey': ("Surrey Police", "police", "https://www.surrey.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Surrey Police and Crime Commissioner"),
 'police-sussex': ("Sussex Police", "police", "https://www.sussex.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Sussex Police and Crime Commissioner"),
 'police-thames-valley': ("Thames Valley Police", "police", "https://www.thamesvalley.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Thames Valley Police and Crime Commissioner"),
 'police-warwickshire': ("Warwickshire Police", "police", "https://www.warwickshire.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Warwickshire Police and Crime Commissioner"),
 'police-west-mercia': ("West Mercia Police", "police", "https://www.westmercia.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "West Mercia Police and Crime Commissioner"),
 'police-west-midlands': ("West Midlands Police", "police", "https://www.westmidlands.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "West Midlands Police and Crime Commissioner"),
 'police-west-yorkshire': ("West Yorkshire Police", "police", "https://www.westyorkshire.police.uk", "Territorial police force; PCC functions held by the Mayor of West Yorkshire since May 2021", "Mayor of West Yorkshire"),
 'police-wiltshire': ("Wiltshire Police", "police", "https://www.wiltshire.police.uk", "Territorial police force (Police Act 1996 Sch. 1)", "Wiltshire Police and Crime Commissioner"),
 'police-scotland': ("Police Scotland (Police Service of Scotland)", "police", "https://www.scotland.police.uk", "Single national force established 1 April 2013 by the Police and Fire Reform (Scotland) Act 2012", "Scottish Police Authority; Scottish Ministers"),
 'police-northern-ireland': ("Police Service of Northern Ireland", "police", "https://www.psni.police.uk", "Established November 2001 under the Police (Northern Ireland) Act 2000", "Northern Ireland Policing Board"),
 # ---------------- fire: 44 English FRSs + 3 Welsh + Scotland + NI
 'fire-avon': ("Avon Fire and Rescue Service", "fire", "https://www.avonfire.gov.uk", "Combined fire authority: Avon Fire Authority", "Avon Fire Authority"),
 'fire-bedfordshire': ("Bedfordshire Fire and Rescue Service", "fire", "https://www.bedsfire.gov.uk", "Combined fire authority: Bedfordshire Fire and Rescue Authority", "Bedfordshire Fire and Rescue Authority"),
 'fire-buckinghamshire': ("Buckinghamshire Fire and Rescue Service", "fire", "https://bucksfire.gov.uk", "Combined fire authority: Buckinghamshire and Milton Keynes Fire Authority", "Buckinghamshire and Milton Keynes Fire Authority"),
 'fire-cambridgeshire': ("Cambridgeshire Fire and Rescue Service", "fire", "https://www.cambsfire.gov.uk", "Combined fire authority: Cambridgeshire and Peterborough Fire Authority", "Cambridgeshire and Peterborough Fire Authority"),
 'fire-cheshire': ("Cheshire Fire and Rescue Service", "fire", "https://www.cheshirefire.gov.uk", "Combined fire authority: Cheshire Fire Authority", "Cheshire Fire Authority"),
 'fire-cleveland': ("Cleveland Fire Brigade", "fire", "https://www.clevelandfire.gov.uk", "Combined fire authority: Cleveland Fire Authority", "Cleveland Fire Authority"),
 'fire-cornwall': ("Cornwall Fire and Rescue Service", "fire", "", "Run by Cornwall Council as fire and rescue authority", "Cornwall Council"),
 'fire-county-durham-and-darlington': ("County Durham and Darlington Fire and Rescue Service", "fire", "https://www.ddfire.gov.uk", "Combined fire authority: County Durham and Darlington Fire and Rescue Authority", "County Durham and Darlington Fire and Rescue Authority"),
 'fire-cumbria': ("Cumbria Fire and Rescue Service", "fire", "", "Fire and rescue authority is the Police, Fire and Crime Commissioner for Cumbria since 1 April 2023 (SI 2022/1230)", "Cumbria Police, Fire and Crime Commissioner"),
 'fire-derbyshire': ("Derbyshire Fire and Rescue Service", "fire", "https://www.derbys-fire.gov.uk", "Combined fire authority: Derbyshire Fire and Rescue Authority", "Derbyshire Fire and Rescue Authority"),
 'fire-devon-and-somerset': ("Devon and Somerset Fire and Rescue Service", "fire", "https://www.dsfire.gov.uk", "Combined fire authority formed 1 April 2007", "Devon and Somerset Fire and Rescue Authority"),
 'fire-dorset-and-wiltshire': ("Dorset and Wiltshire Fire and Rescue Service", "fire", "https://www.dwfire.org.uk", "Combined fire authority formed 1 April 2016", "Dorset and Wiltshire Fire and Rescue Authority"),
 'fire-east-sussex': ("East Sussex Fire and Rescue Service", "fire", "https://www.esfrs.org", "Combined fire authority: East Sussex Fire Authority", "East Sussex Fire Authority"),
 'fire-essex': ("Essex County Fire and Rescue Service", "fire", "https://www.essex-fire.gov.uk", "Fire and rescue authority is the Essex Police, Fire and Crime Commissioner (since October 2017)", "Essex Police, Fire and Crime Commissioner"),
 'fire-gloucestershire': ("Gloucestershire Fire and Rescue Service", "fire", "", "Run by Gloucestershire County Council as fire and rescue authority", "Gloucestershire County Council"),
 'fire-greater-manchester': ("Greater Manchester Fire and Rescue Service", "fire", "https://www.manchesterfire.gov.uk", "Fire functions held by the Greater Manchester Combined Authority, exercised by the Mayor, since May 2017 (SI 2017/469)", "Mayor of Greater Manchester"),
 'fire-hampshire-and-isle-of-wight': ("Hampshire and Isle of Wight Fire and Rescue Service", "fire", "", "Combined fire authority formed 1 April 2021", "Hampshire and Isle of Wight Fire and Rescue Authority"),
 'fire-hereford-and-worcester': ("Hereford and Worcester Fire and Rescue Service", "fire", "https://www.hwfire.org.uk", "Combined fire authority: Hereford and Worcester Fire Authority", "Hereford and Worcester Fire Authority"),
 'fire-hertfordshire': ("Hertfordshire Fire and Rescue Service", "fire", "", "Run by Hertfordshire County Council as fire and rescue authority", "Hertfordshire County Council"),
 'fire-humberside': ("Humberside Fire and Rescue Service", "fire", "https://humbersidefire.gov.uk", "Combined fire authority: Humberside Fire Authority", "Humberside Fire Authority"),
 'fire-isles-of-scilly': ("Isles of Scilly Fire and Rescue Service", "fire", "", "Run by the Council of the Isles of Scilly as fire and rescue authority", "Council of the Isles of Scilly"),
 'fire-kent': ("Kent Fire and Rescue Service", "fire", "https://www.kent.fire-uk.org", "Combined fire authority: Kent and Medway Fire and Rescue Authority", "Kent and Medway Fire and Rescue Authority"),
 'fire-lancashire': ("Lancashire Fire and Rescue Service", "fire", "https://www.lancsfirerescue.org.uk", "Combined fire authority: Lancashire Combined Fire Authority", "Lancashire Combined Fire Authority"),
 'fire-leicestershire': ("Leicestershire Fire and Rescue Service", "fire", "https://leics-fire.gov.uk", "Combined fire authority: Leicester, Leicestershire and Rutland Combined Fire Authority", "Leicester, Leicestershire and Rutland Combined Fire Authority"),
 'fire-lincolnshire': ("Lincolnshire Fire and Rescue", "fire", "", "Run by Lincolnshire County Council as fire and rescue authority", "Lincolnshire County Council"),
 'fire-london': ("London Fire Brigade", "fire", "https://www.london-fire.gov.uk", "Fire and rescue authority is the London Fire Commissioner (since 1 April 2018), covering all of Greater London including the City", "Mayor of London"),
 'fire-merseyside': ("Merseyside Fire and Rescue Service", "fire", "https://www.merseyfire.gov.uk", "Metropolitan county fire authority: Merseyside Fire and Rescue Authority", "Merseyside Fire and Rescue Authority"),
 'fire-norfolk': ("Norfolk Fire and Rescue Service", "fire", "", "Run by Norfolk County Council as fire and rescue authority", "Norfolk County Council"),
 'fire-north-yorkshire': ("North Yorkshire Fire and Rescue Service", "fire", "https://www.northyorksfire.gov.uk", "Fire functions held by the York and North Yorkshire Combined Authority, exercised by the Mayor, since 7 May 2024", "Mayor of York and North Yorkshire"),
 'fire-northamptonshire': ("Northamptonshire Fire and Rescue Service", "fire", "https://www.northantsfire.gov.uk", "Fire and rescue authority is the Northamptonshire Police, Fire and Crime Commissioner (since January 2019)", "Northamptonshire Police, Fire and Crime Commissioner"),
 'fire-northumberland': ("Northumberland Fire and Rescue Service", "fire", "", "Run by Northumberland County Council as fire and rescue authority", "Northumberland County Council"),
 'fire-nottinghamshire': ("Nottinghamshire Fire and Rescue Service", "fire", "https://www.notts-fire.gov.uk", "Combined fire authority: Nottinghamshire and City of Nottingham Fire and Rescue Authority", "Nottinghamshire and City of Nottingham Fire and Rescue Authority"),
 'fire-oxfordshire': ("Oxfordshire Fire and Rescue Service", "fire", "", "Run by Oxfordshire County Council as fire and rescue authority", "Oxfordshire County Council"),
 'fire-royal-berkshire': ("Royal Berkshire Fire and Rescue Service", "fire", "https://www.rbfrs.co.uk", "Combined fire authority: Royal Berkshire Fire Authority", "Royal Berkshire Fire Authority"),
 'fire-shropshire': ("Shropshire Fire and Rescue Service", "fire", "https://www.shropshirefire.gov.uk", "Combined fire authority: Shropshire and Wrekin Fire and Rescue Authority", "Shropshire and Wrekin Fire and Rescue Authority"),
 'fire-south-yorkshire': ("South Yorkshire Fire and Rescue", "fire", "https://www.syfire.gov.uk", "Metropolitan county fire authority: South Yorkshire Fire and Rescue Authority (established 1986)", "South Yorkshire Fire and Rescue Authority"),
 'fire-staffordshire': ("Staffordshire Fire and Rescue Service", "fire", "https://www.staffordshirefire.gov.uk", "Fire and rescue authority is the Staffordshire Commissioner (since August 2018)", "Staffordshire Commissioner for Police, Fire and Rescue and Crime"),
 'fire-suffolk': ("Suffolk Fire and Rescue Service", "fire", "", "Run by Suffolk County Council as fire and rescue authority", "Suffolk County Council"),
 'fire-surrey': ("Surrey Fire and Rescue Service", "fire", "", "Run by Surrey County Council as fire and rescue authority", "Surrey County Council"),
 'fire-tyne-and-wear': ("Tyne and Wear Fire and Rescue Service", "fire", "https://www.twfire.gov.uk", "Metropolitan county fire authority: Tyne and Wear Fire and Rescue Authority", "Tyne and Wear Fire and Rescue Authority"),
 'fire-warwickshire': ("Warwickshire Fire and Rescue Service", "fire", "", "Run by Warwickshire County Council as fire and rescue authority", "Warwickshire County Council"),
 'fire-west-midlands': ("West Midlands Fire Service", "fire", "https://www.wmfs.net", "Metropolitan county fire authority: West Midlands Fire and Rescue Authority", "West Midlands Fire and Rescue Authority"),
 'fire-west-sussex': ("West Sussex Fire and Rescue Service", "fire", "", "Run by West Sussex County Council as fire and rescue authority", "West Sussex County Council"),
 'fire-west-yorkshire': ("West Yorkshire Fire and Rescue Service", "fire", "https://www.westyorksfire.gov.uk", "Metropolitan county fire authority: West Yorkshire Fire and Rescue Authority", "West Yorkshire Fire and Rescue Authority"),
 'fire-mid-and-west-wales': ("Mid and West Wales Fire and Rescue Service", "fire", "", "Combined fire authority (Wales) formed April 1996", "Mid and West Wales Fire and Rescue Authority"),
 'fire-north-wales': ("North Wales Fire and Rescue Service", "fire", "", "Combined fire authority (Wales) formed April 1996", "North Wales Fire and Rescue Authority"),
 'fire-south-wales': ("South Wales Fire and Rescue Service", "fire", "https://www.southwales-fire.gov.uk", "Combined fire authority (Wales) formed April 1996; since 6 February 2024 all its functions are exercised by four commissioners appointed by the Welsh Government", "South Wales Fire and Rescue Authority (functions exercised by commissioners appointed by the Welsh Ministers since February 2024)"),
 'fire-scotland': ("Scottish Fire and Rescue Service", "fire", "https://www.firescotland.gov.uk", "Single national service established 1 April 2013 by the Police and Fire Reform (Scotland) Act 2012", "Scottish Ministers"),
 'fire-northern-ireland': ("Northern Ireland Fire and Rescue Service", "fire", "https://www.nifrs.org", "Arm's-length body of the Department of Health (Northern Ireland)", "Department of Health (Northern Ireland)"),
 # ---------------- ambulance
 'ambulance-east-midlands': ("East Midlands Ambulance Service NHS Trust", "ambulance", "https://www.emas.nhs.uk", "NHS trust", SOS),
 'ambulance-east-of-england': ("East of England Ambulance Service NHS Trust", "ambulance", "https://www.eastamb.nhs.uk", "NHS trust", SOS),
 'ambulance-london': ("London Ambulance Service NHS Trust", "ambulance", "https://www.londonambulance.nhs.uk", "NHS trust", SOS),
 'ambulance-north-east': ("North East Ambulance Service NHS Foundation Trust", "ambulance", "https://www.neas.nhs.uk", "NHS foundation trust", SOS),
 'ambulance-north-west': ("North West Ambulance Service NHS Trust", "ambulance", "https://www.nwas.nhs.uk", "NHS trust", SOS),
 'ambulance-south-central': ("South Central Ambulance Service NHS Foundation Trust", "ambulance", "https://www.scas.nhs.uk", "NHS foundation trust", SOS),
 'ambulance-south-east-coast': ("South East Coast Ambulance Service NHS Foundation Trust", "ambulance", "https://www.secamb.nhs.uk", "NHS foundation trust (since 1 March 2011); formed 1 July 2006", SOS),
 'ambulance-south-western': ("South Western Ambulance Service NHS Foundation Trust", "ambulance", "https://www.swast.nhs.uk", "NHS foundation trust", SOS),
 'ambulance-west-midlands': ("West Midlands Ambulance Service University NHS Foundation Trust", "ambulance", "https://wmas.nhs.uk", "NHS foundation trust", SOS),
 'ambulance-yorkshire': ("Yorkshire Ambulance Service NHS Trust", "ambulance", "https://www.yas.nhs.uk", "NHS trust", SOS),
 'ambulance-isle-of-wight': ("Isle of Wight NHS Trust", "ambulance", "https://www.iow.nhs.uk", "NHS trust (established April 2012) providing acute, community, mental health and ambulance services on the Isle of Wight", SOS),
 'ambulance-wales': ("Welsh Ambulance Services University NHS Trust", "ambulance", "https://www.ambulance.nhs.wales", "NHS trust (Wales); renamed with 'University' from 1 April 2024", "Welsh Ministers"),
 'ambulance-scotland': ("Scottish Ambulance Service", "ambulance", "https://www.scottishambulance.com", "Special health board of NHS Scotland", "Scottish Ministers"),
 'ambulance-northern-ireland': ("Northern Ireland Ambulance Service Health and Social Care Trust", "ambulance", "https://www.nias.hscni.net", "HSC trust", "Department of Health (Northern Ireland)"),
}

# ---- group assignments: (police, fire, ambulance) by "patch"
P = {}
def put(codes, police, fire, amb):
    for c in codes:
        assert c not in P, c
        P[c] = (police, fire, amb)

rows = list(csv.DictReader(open(LADS, newline='', encoding='utf-8')))
by_ut = {}
for r in rows:
    by_ut.setdefault(r['upper_tier_code'], []).append(r['code'])
def county(ut):  # districts of a two-tier county
    return by_ut[ut]

# North East
put(['E06000001','E06000002','E06000003','E06000004'], 'police-cleveland', 'fire-cleveland', 'ambulance-north-east')
put(['E06000005','E06000047'], 'police-durham', 'fire-county-durham-and-darlington', 'ambulance-north-east')
put(['E06000057'], 'police-northumbria', 'fire-northumberland', 'ambulance-north-east')
put(['E08000021','E08000022','E08000023','E08000024','E08000037'], 'police-northumbria', 'fire-tyne-and-wear', 'ambulance-north-east')
# North West
put(['E06000006','E06000007','E06000049','E06000050'], 'police-cheshire', 'fire-cheshire', 'ambulance-north-west')
put(['E06000008','E06000009'] + county('E10000017'), 'police-lancashire', 'fire-lancashire', 'ambulance-north-west')
put(['E08000%03d' % i for i in range(1, 11)], 'police-greater-manchester', 'fire-greater-manchester', 'ambulance-north-west')
put(['E08000011','E08000012','E08000013','E08000014','E08000015'], 'police-merseyside', 'fire-merseyside', 'ambulance-north-west')
put(['E06000063','E06000064'], 'police-cumbria', 'fire-cumbria', 'ambulance-north-west')
# Yorkshire and the Humber
put(['E06000010','E06000011'], 'police-humberside', 'fire-humberside', 'ambulance-yorkshire')
put(['E06000012','E06000013'], 'police-humberside', 'fire-humberside', 'ambulance-east-midlands')
put(['E06000014','E06000065'], 'police-north-yorkshire', 'fire-north-yorkshire', 'ambulance-yorkshire')
put(['E08000017','E08000018','E08000038','E08000039'], 'police-south-yorkshire', 'fire-south-yorkshire', 'ambulance-yorkshire')
put(['E08000032','E08000033','E08000034','E08000035','E08000036'], 'police-west-yorkshire', 'fire-west-yorkshire', 'ambulance-yorkshire')
# East Midlands
put(['E06000015'] + county('E10000007'), 'police-derbyshire', 'fire-derbyshire', 'ambulance-east-midlands')
put(['E06000016','E06000017'] + county('E10000018'), 'police-leicestershire', 'fire-leicestershire', 'ambulance-east-midlands')
put(['E06000018'] + county('E10000024'), 'police-nottinghamshire', 'fire-nottinghamshire', 'ambulance-east-midlands')
put(county('E10000019'), 'police-lincolnshire', 'fire-lincolnshire', 'ambulance-east-midlands')
put(['E06000061','E06000062'], 'police-northamptonshire', 'fire-northamptonshire', 'ambulance-east-midlands')
# West Midlands
put(['E06000019'] + county('E10000034'), 'police-west-mercia', 'fire-hereford-and-worcester', 'ambulance-west-midlands')
put(['E06000020','E06000051'], 'police-west-mercia', 'fire-shropshire', 'ambulance-west-midlands')
put(['E06000021'] + county('E10000028'), 'police-staffordshire', 'fire-staffordshire', 'ambulance-west-midlands')
put(county('E10000031'), 'police-warwickshire', 'fire-warwickshire', 'ambulance-west-midlands')
put(['E08000%03d' % i for i in range(25, 32)], 'police-west-midlands', 'fire-west-midlands', 'ambulance-west-midlands')
# South West
put(['E06000022','E06000023','E06000024','E06000025'], 'police-avon-and-somerset', 'fire-avon', 'ambulance-south-western')
put(['E06000066'], 'police-avon-and-somerset', 'fire-devon-and-somerset', 'ambulance-south-western')
put(['E06000026','E06000027'] + county('E10000008'), 'police-devon-and-cornwall', 'fire-devon-and-somerset', 'ambulance-south-western')
put(['E06000052'], 'police-devon-and-cornwall', 'fire-cornwall', 'ambulance-south-western')
put(['E06000053'], 'police-devon-and-cornwall', 'fire-isles-of-scilly', 'ambulance-south-western')
put(['E06000030','E06000054'], 'police-wiltshire', 'fire-dorset-and-wiltshire', 'ambulance-south-western')
put(['E06000058','E06000059'], 'police-dorset', 'fire-dorset-and-wiltshire', 'ambulance-south-western')
put(county('E10000013'), 'police-gloucestershire', 'fire-gloucestershire', 'ambulance-south-western')
# East of England
put(['E06000031'] + county('E10000003'), 'police-cambridgeshire', 'fire-cambridgeshire', 'ambulance-east-of-england')
put(['E06000032','E06000055','E06000056'], 'police-bedfordshire', 'fire-bedfordshire', 'ambulance-east-of-england')
put(['E06000033','E06000034'] + county('E10000012'), 'police-essex', 'fire-essex', 'ambulance-east-of-england')
put(county('E10000015'), 'police-hertfordshire', 'fire-hertfordshire', 'ambulance-east-of-england')
put(county('E10000020'), 'police-norfolk', 'fire-norfolk', 'ambulance-east-of-england')
put(county('E10000029'), 'police-suffolk', 'fire-suffolk', 'ambulance-east-of-england')
# South East
put(['E06000035'] + county('E10000016'), 'police-kent', 'fire-kent', 'ambulance-south-east-coast')
put(['E06000036','E06000037','E06000038','E06000039','E06000040','E06000041'], 'police-thames-valley', 'fire-royal-berkshire', 'ambulance-south-central')
put(['E06000042','E06000060'], 'police-thames-valley', 'fire-buckinghamshire', 'ambulance-south-central')
put(county('E10000025'), 'police-thames-valley', 'fire-oxfordshire', 'ambulance-south-central')
put(['E06000043'] + county('E10000011'), 'police-sussex', 'fire-east-sussex', 'ambulance-south-east-coast')
put(county('E10000032'), 'police-sussex', 'fire-west-sussex', 'ambulance-south-east-coast')
put(county('E10000030'), 'police-surrey', 'fire-surrey', 'ambulance-south-east-coast')
# Hampshire: SECAmb serves north-east Hampshire (Aldershot, Farnborough = Rushmoor; Fleet, Yateley = Hart)
NE_HANTS = ['E07000092', 'E07000089']  # Rushmoor, Hart -- flagged in SOURCES.md
hants = [c for c in county('E10000014') if c not in NE_HANTS]
put(['E06000044','E06000045'] + hants, 'police-hampshire-and-isle-of-wight', 'fire-hampshire-and-isle-of-wight', 'ambulance-south-central')
put(NE_HANTS, 'police-hampshire-and-isle-of-wight', 'fire-hampshire-and-isle-of-wight', 'ambulance-south-east-coast')
put(['E06000046'], 'police-hampshire-and-isle-of-wight', 'fire-hampshire-and-isle-of-wight', 'ambulance-isle-of-wight')
# London
put(['E09000001'], 'police-city-of-london', 'fire-london', 'ambulance-london')
put(['E09%06d' % i for i in range(2, 34)], 'police-metropolitan', 'fire-london', 'ambulance-london')
# Wales (by LAD code)
W = lambda *n: ['W060000%02d' % i for i in n]
put(W(1, 2, 3, 4, 5, 6), 'police-north-wales', 'fire-north-wales', 'ambulance-wales')
put(W(8, 9, 10, 23), 'police-dyfed-powys', 'fire-mid-and-west-wales', 'ambulance-wales')
put(W(11, 12), 'police-south-wales', 'fire-mid-and-west-wales', 'ambulance-wales')          # Swansea, Neath Port Talbot
put(W(13, 14, 15, 16, 24), 'police-south-wales', 'fire-south-wales', 'ambulance-wales')     # Bridgend, Vale, Cardiff, RCT, Merthyr
put(W(18, 19, 20, 21, 22), 'police-gwent', 'fire-south-wales', 'ambulance-wales')           # Caerphilly, Blaenau Gwent, Torfaen, Monmouthshire, Newport
# Scotland and Northern Ireland
for r in rows:
    if r['country'] == 'Scotland':
        put([r['code']], 'police-scotland', 'fire-scotland', 'ambulance-scotland')
    elif r['country'] == 'Northern Ireland':
        put([r['code']], 'police-northern-ireland', 'fire-northern-ireland', 'ambulance-northern-ireland')

codes = [r['code'] for r in rows]
missing = [c for c in codes if c not in P]
extra = [c for c in P if c not in set(codes)]
assert not missing, missing
assert not extra, extra

out = os.path.join(HERE, 'blue_light.csv')
with open(out, 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['area_code','police','police_accountable_to','fire','fire_accountable_to','ambulance','ambulance_accountable_to'])
    for c in codes:
        pol, fir, amb = P[c]
        w.writerow([c, pol, ORGS[pol][4], fir, ORGS[fir][4], amb, ORGS[amb][4]])

used = {v for t in P.values() for v in t}
with open(os.path.join(HERE, 'blue_light_organisations.csv'), 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['id','name','kind','website','notes'])
    for k in sorted(ORGS, key=lambda k: (['police','fire','ambulance'].index(ORGS[k][1]), k)):
        if k in used:
            name, kind, web, notes, _ = ORGS[k]
            assert k.startswith(kind + '-')
            w.writerow([k, name, kind, web, notes])
unused = set(ORGS) - used
print('rows', len(codes), 'orgs used', len(used), 'unused', sorted(unused))

#!/usr/bin/env python3
import csv, os, collections
HERE = os.path.dirname(os.path.abspath(__file__))
lads = list(csv.DictReader(open(os.path.join(HERE, '..', '..', 'boundaries', 'lads.csv'), newline='', encoding='utf-8')))
bl = list(csv.DictReader(open(os.path.join(HERE, 'blue_light.csv'), newline='', encoding='utf-8')))
orgs = {r['id']: r for r in csv.DictReader(open(os.path.join(HERE, 'blue_light_organisations.csv'), newline='', encoding='utf-8'))}
assert [r['code'] for r in lads] == [r['area_code'] for r in bl], 'codes/order differ'
assert len(bl) == 361 == len({r['area_code'] for r in bl})
problems = []
for r in bl:
    for k in ('police', 'fire', 'ambulance'):
        v = r[k]
        if not v: problems.append((r['area_code'], k, 'empty'))
        elif v not in orgs: problems.append((r['area_code'], k, 'unknown id ' + v))
        elif orgs[v]['kind'] != k: problems.append((r['area_code'], k, 'kind mismatch'))
        if not r[k + '_accountable_to']: problems.append((r['area_code'], k + '_accountable_to', 'empty'))
used = {r[k] for r in bl for k in ('police', 'fire', 'ambulance')}
print('rows:', len(bl), '| organisations:', len(orgs), '| unused orgs:', sorted(set(orgs) - used) or 'none', '| problems:', problems or 'none')
for k in ('police', 'fire', 'ambulance'):
    c = collections.Counter(r[k] for r in bl)
    print(f'\n{k}: {len(c)} organisations')
    for o, n in sorted(c.items(), key=lambda x: (-x[1], x[0])):
        print(f'  {n:3d}  {o}')

#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora: make_seeds.py SOURCE_DIR OUT_DIR.

Seeds are cut from files already in the repository (tests/fixtures, data/) — nothing is
downloaded — and kept small (a few datasets each) so libFuzzer mutates them quickly; a few hand
seeds cover syntax the fixtures lack. OUT_DIR/<target>/ is recreated each time. Inputs that once
crashed a target live in fuzz/seeds/<target>/ instead (run.sh reads both).
"""
import hashlib
import json
import lzma
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET

src, out = sys.argv[1], sys.argv[2]
fixtures = os.path.join(src, "tests", "fixtures")


def write(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def read(*parts, mode="r"):
    with open(os.path.join(*parts), mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        return f.read()


if os.path.isdir(out):
    shutil.rmtree(out)

# --- catalog files, small -------------------------------------------------------------------
datajson = json.loads(read(fixtures, "cdc-data.json.2024-09"))
datasets = datajson["dataset"]
small_datajson = dict(datajson, dataset=datasets[:3])
ckan = json.loads(read(fixtures, "datagov-harvest-sources.ckan.json"))
with lzma.open(os.path.join(src, "data", "sample", "datago-list-2022.csv.xz"), "rt", encoding="utf-8") as f:
    csv_lines = [next(f) for _ in range(16)]
csv_head = "".join(csv_lines)

# RDF/XML: the DCAT-AP_IT catalog with its first nodes only (still a valid document).
rdf_root = ET.fromstring(read(fixtures, "upo-catalog.dcat-ap-it.rdf", mode="rb"))
for child in list(rdf_root)[12:]:
    rdf_root.remove(child)
rdf_xml = ET.tostring(rdf_root, encoding="unicode")

# Turtle: the SHACL ranges file up to a statement boundary after ~12 KB.
ttl = read(fixtures, "dcat-ap-shacl", "ranges.ttl")
cut = ttl.find(" .\n", 12000)
ttl_head = ttl[: cut + 3] if cut > 0 else ttl[:12000]

jsonld = json.dumps({
    "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},
    "@graph": [{"@id": "http://example.org/ds/1", "@type": "dcat:Dataset",
                "dct:title": {"@value": "대기오염 측정", "@language": "ko"},
                "dct:identifier": "ds-1", "dcat:keyword": ["air", "대기"],
                "dcat:distribution": {"@type": "dcat:Distribution",
                                      "dcat:downloadURL": {"@id": "http://example.org/a.csv"}}}]})

# catalog_reader: first byte 0 = detect the format; 1..7 force one (see the target).
for byte, text in [(0, json.dumps(small_datajson)), (3, json.dumps(small_datajson)),
                   (0, json.dumps(ckan[:2])), (1, json.dumps({"success": True, "result": {"count": 2, "results": ckan[:2]}})),
                   (2, "\n".join(json.dumps(p) for p in ckan[:3])), (0, csv_head), (7, csv_head),
                   (0, rdf_xml), (4, rdf_xml), (0, ttl_head), (5, ttl_head), (0, jsonld), (6, jsonld)]:
    write("catalog_reader", bytes([byte]) + text.encode("utf-8"))
write("catalog_reader", b"\x00" + csv_head.encode("cp949", errors="replace"))
for byte in (0, 1, 3, 6):  # deep nesting through detection, CKAN, data.json and JSON-LD readers
    write("catalog_reader", bytes([byte]) + b'{"dataset": ' + b"[" * 5000)
write("catalog_reader", b"\x00\xef\xbb\xbf" + csv_head.encode("utf-8"))

# csv: UTF-8, UTF-8 with BOM, CP949, quoting corner cases.
write("csv", csv_head)
write("csv", b"\xef\xbb\xbf" + csv_head.encode("utf-8"))
write("csv", csv_head.encode("cp949", errors="replace"))
write("csv", 'a,"b ""quoted""\r\nline",c\r\n"unterminated,x\ny,z\rlast,"",\n')

# json_body: action bodies and single packages.
for body in [{"id": "x"}, {"q": "버스 노선", "fq": "tags:교통", "rows": 10, "facet.field": ["tags"]},
             {"name": "ds", "title": "t", "owner_org": "o", "resources": [{"url": "http://a/b.csv"}],
              "extras": [{"key": "k", "value": "v"}]}, datasets[0], ckan[0]]:
    write("json_body", json.dumps(body, ensure_ascii=False))
write("json_body", '{"a":[1,-2.5e10,true,false,null,"\\ud55c\\u0000"]}')
# Deep nesting (issue 12: two million '[' once crashed the server); must stay an error.
write("json_body", "[" * 5000)
write("json_body", '{"facet.field": "' + "[" * 5000 + '"}')

# query: "q\nfq".
for q, fq in [("버스 노선", "organization:moe"), ('"fine dust" OR 미세먼지', "tags:air AND res_format:CSV"),
              ("title:교통 -폐지 +서울", 'metadata_modified:[2020-01-01T00:00:00Z TO *]'),
              ("(a OR b) AND NOT c", "num_resources:{0 TO 10]"), ("*:*", 'groups:"x y"'),
              ("name:abc*", "-license_id:cc-by")]:
    write("query", q + "\n" + fq)
for line in read(src, "data", "search", "synonyms.txt").splitlines()[:40]:
    if line and not line.startswith("#"):
        write("query", line.replace(",", " OR ") + "\n")

# url: "base\nreference".
urls = sorted(set(re.findall(r'https?://[^\s"<>\\]+', read(fixtures, "datagov-harvest-sources.ckan.json"))))[:30]
refs = ["/next?page=2", "../a/b", "?x=1#f", "//other.example/p", "https://[::1]:8080/x", "page%202"]
for i, u in enumerate(urls):
    write("url", u + "\n" + refs[i % len(refs)])
write("url", "HTTP://WWW.Example.COM:80/a/?utm_source=x&b=2&a=1#top\nhttp://h/%ZZ")

# highlight: "terms\ntext".
for d in datasets[:10]:
    words = d.get("title", "").split()
    write("highlight", " ".join(words[:2]) + "\n" + d.get("description", "")[:400])
for line in csv_lines[1:8]:
    fields = line.split(",")
    write("highlight", fields[2].split("_")[-1][:6] + "\n" + ",".join(fields[2:4]))
write("highlight", "script\n<script>alert(1)</script> & \"quotes\" \u2028 주차장 공영주차장")

# form: "cookie header\nurlencoded body".
write("form", "datamap_console=abc123; lang=ko\ntoken=abc&csrf=d41d8&title=%ED%95%9C+x")
write("form", "a=1;b=2 ; lang=en\nq=%&x=%4")

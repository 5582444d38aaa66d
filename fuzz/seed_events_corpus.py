#!/usr/bin/env python3
"""Seeds corpus/read_{xml,json,zeek,evtx}/ from ../shared/events (or $DETC_SHARED_EVENTS).

Small records cut from the real exports (a few events each, under 4 KiB but for EVTX), a
gzip-compressed seed per text reader, and the broken XML samples. Standard library only.
"""
import gzip
import json
import os
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
CANDIDATES = [os.environ.get("DETC_SHARED_EVENTS"), HERE / "../../shared/events", HERE / "../../../shared/events"]
EVENTS = next(pathlib.Path(c) for c in CANDIDATES if c and (pathlib.Path(c) / "index.tsv").is_file())


def write(target, name, data):
    folder = HERE / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def text(path):
    return gzip.decompress((EVENTS / path).read_bytes())


# XML: groups of one to three events, the broken samples, a pretty-printed and a gzip seed.
records = text("xml/sysmon_all.xml.gz").split(b"\n") + text("xml/security_all.xml.gz").split(b"\n")
records = [r for r in records if r.startswith(b"<Event")]
for i in range(0, min(len(records), 240), 3):
    write("read_xml", f"x{i:04}", b"\n".join(records[i : i + 1 + i % 3])[:4096])
write("read_xml", "truncated", text("xml/bad_truncated.xml.gz")[-3000:])
write("read_xml", "bad_utf8", text("xml/bad_utf8.xml.gz")[4000:7000])
pretty = records[0].replace(b"><", b">\n  <")
write("read_xml", "pretty", b"<?xml version='1.0'?>\n<Events>\n" + pretty + b"\n</Events>\n")
write("read_xml", "gzip", gzip.compress(records[1]))

# JSON: byte 0 picks lines (even) or array (odd).
sources = [
    "otrf/discovery/cmd_discover_iexplorer_version_registry.json.gz",
    "otrf/defense_evasion/empire_enable_rdp.json.gz",
    "otrf/credential_access/cmd_sam_copy_esentutl.json.gz",
    "json/winlogbeat_sysmon.json.gz",
    "json/splunk_export_sysmon.json.gz",
    "zeek/apt29_day2_scranton_conn.json.gz",
    "zeek/zed_sample_conn.json.gz",
]
for source in sources:
    lines = [l for l in text(source).split(b"\n") if l.strip()][:40]
    stem = pathlib.Path(source).name.split(".")[0]
    for i, line in enumerate(lines[::4]):
        if len(line) < 4000:
            write("read_json", f"{stem}-{i}", b"\x00" + line + b"\n")
    pair = [json.loads(l) for l in lines[:2]]
    array = json.dumps(pair).encode()
    if len(array) < 4000:
        write("read_json", f"{stem}-array", b"\x01" + array)
write("read_json", "gzip", b"\x00" + gzip.compress(text(sources[0]).split(b"\n")[0]))

# Zeek TSV: the header and a few lines of each log.
for source in sorted((EVENTS / "zeek").glob("*.log.gz")):
    lines = text(source.relative_to(EVENTS)).split(b"\n")
    head = [l for l in lines if l.startswith(b"#")][:8]
    body = [l for l in lines if l and not l.startswith(b"#")][:5]
    write("read_zeek", source.name.split(".")[0], b"\n".join(head + body + [b"#close\t2023"]) + b"\n")

# EVTX: the smallest files whole.
evtx = sorted((EVENTS / "evtx").rglob("*.evtx"), key=lambda p: p.stat().st_size)[:6]
for path in evtx:
    write("read_evtx", path.stem[:40], path.read_bytes())
print("seeded", {t: len(list((HERE / "corpus" / t).iterdir())) for t in ["read_xml", "read_json", "read_zeek", "read_evtx"]})

#!/usr/bin/env python3
"""Writes samples/ (the events of the story "Collection and Staging") from the real events of
/work/shared/events and /work/shared/events-large. Every derived event starts from one real
record and changes only the values listed next to it, in every field that holds them (the
rendered `Message` included), so fields and text agree. samples/README.md lists every event.

Run from the repository root: python3 tools/derive_samples.py [EVENTS_DIR [EVENTS_LARGE_DIR]]
Output is deterministic (gzip with mtime 0, no file name in the header).
"""
import gzip
import io
import json
import os
import sys

EVENTS = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/events"
LARGE = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/events-large"
OUT = "samples"


def records(path, keep):
    """The JSON lines of a gzip OTRF file for which keep(record) holds, in file order."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip() and keep(json.loads(line))]


def derive(record, changes, **fields):
    """A copy of `record` with every `old -> new` of `changes` replaced in every string value,
    then `fields` set (added when absent). Both lists are what the README calls the changes."""
    out = {}
    for key, value in record.items():
        if isinstance(value, str):
            for old, new in changes:
                value = value.replace(old, new)
        out[key] = value
    out.update(fields)
    return out


def write_gzip(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as z:
        z.write("".join(line + "\n" for line in lines).encode("utf-8"))
    with open(path, "wb") as f:
        f.write(raw.getvalue())


def dump(recs):
    return [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in recs]


otrf = os.path.join(EVENTS, "otrf")
apt = os.path.join(otrf, "other/aptsimulator_cobaltstrike.json.gz")
SEVEN = "C:\\Users\\APT-Simulator\\Documents\\APTSimulator-master\\helpers\\7z.exe"
sevenzip = records(apt, lambda r: r.get("EventID") in (1, 4688, 11)
                   and SEVEN in (r.get("Image", "") + r.get("NewProcessName", "")))
sz_sysmon1 = next(r for r in sevenzip if r["EventID"] == 1)
sz_4688 = next(r for r in sevenzip if r["EventID"] == 4688)
sz_sysmon11 = next(r for r in sevenzip if r["EventID"] == 11)

# The real command extracts a tool; the derived ones pack a folder, as staging does.
REAL_CMD = sz_sysmon1["CommandLine"]
PACK = ' a -mx9 -pS3cret -mhe=on "C:\\TMP\\q3.7z" "C:\\Users\\APT-Simulator\\Documents\\*"'


def process(image, original, guid, pid, cmd_args, ts, extra=()):
    """A Sysmon 1 derived from the real 7z.exe run: new Image, OriginalFileName, GUID, pid,
    command line and time; the rest (host, user, parent, hashes) as recorded."""
    changes = [
        (REAL_CMD, f'"{image}"{cmd_args}'),
        (SEVEN, image),
        ("OriginalFileName: 7z.exe", f"OriginalFileName: {original}"),
        (sz_sysmon1["ProcessGuid"], guid),
        ("ProcessId: 6472", f"ProcessId: {pid}"),
        ("2021-06-12 01:07:17.666", ts.replace("T", " ").rstrip("Z")),
        *extra,
    ]
    return derive(sz_sysmon1, changes, OriginalFileName=original, ProcessId=str(pid),
                  **{"@timestamp": ts, "TimeCreated": ts})


# --- Detect Renamed 7-Zip -------------------------------------------------------------------
renamed_7zip = [
    # 1 real: the genuine 7z.exe run (Sysmon 1), negative.
    sz_sysmon1,
    # 2 real: the same run seen by Security 4688, negative (4688 has no OriginalFileName).
    sz_4688,
    # 3 derived: 7z.exe copied to C:\TMP\wuhost.exe packing Documents, true positive.
    process("C:\\TMP\\wuhost.exe", "7z.exe", "{e2c04bb9-0a10-60c4-9a19-400100000000}", 7010,
            PACK, "2021-06-11T09:12:03.201Z"),
    # 4 derived: 7za.exe as svchost.exe in ProgramData, true positive.
    process("C:\\ProgramData\\Microsoft\\svchost.exe", "7za.exe",
            "{e2c04bb9-0a11-60c4-9b19-400100000000}", 7022, PACK, "2021-06-11T09:12:40.880Z",
            extra=[("Description: 7-Zip Console", "Description: 7-Zip Standalone Console")]),
    # 5 derived: a genuine 7zG.exe whose name is upper case, negative (names compare without case).
    process("C:\\Program Files\\7-Zip\\7ZG.EXE", "7zG.exe",
            "{e2c04bb9-0a12-60c4-9c19-400100000000}", 7031, PACK, "2021-06-11T09:13:05.004Z"),
    # 6 derived: 7z.exe renamed 7zip_update.exe: ours reports it, upstream skips names 7z*.exe.
    process("C:\\Users\\Public\\7zip_update.exe", "7z.exe",
            "{e2c04bb9-0a13-60c4-9d19-400100000000}", 7044, PACK, "2021-06-11T09:13:30.517Z"),
]

# --- Detect Renamed WinRAR ------------------------------------------------------------------
RAR_DESC = [("Description: 7-Zip Console", "Description: Command line RAR"),
            ("Product: 7-Zip", "Product: WinRAR"), ("Company: Igor Pavlov",
                                                     "Company: Alexander Roshal"),
            ("FileVersion: 16.04", "FileVersion: 6.02.0")]
WINRAR_DESC = [("Description: 7-Zip Console", "Description: WinRAR archiver"),
               ("Product: 7-Zip", "Product: WinRAR"), ("Company: Igor Pavlov",
                                                       "Company: Alexander Roshal"),
               ("FileVersion: 16.04", "FileVersion: 6.02.0")]
RAR_ARGS = ' a -hpS3cret -m5 "C:\\TMP\\q3.rar" "C:\\Users\\APT-Simulator\\Documents\\*"'


def rar(image, original, guid, pid, ts, desc):
    r = process(image, original, guid, pid, RAR_ARGS, ts, extra=desc)
    for key, (_, new) in zip(("Description", "Product", "Company", "FileVersion"), desc):
        r[key] = new.split(": ", 1)[1]
    return r


renamed_winrar = [
    # 1 derived: Rar.exe renamed taskhostw.exe, true positive for ours (upstream only WinRAR.exe).
    rar("C:\\ProgramData\\taskhostw.exe", "Rar.exe", "{e2c04bb9-0b01-60c4-a119-400100000000}",
        7101, "2021-06-11T09:20:11.310Z", RAR_DESC),
    # 2 derived: WinRAR.exe renamed update.exe, true positive for both.
    rar("C:\\Users\\Public\\update.exe", "WinRAR.exe", "{e2c04bb9-0b02-60c4-a219-400100000000}",
        7112, "2021-06-11T09:20:52.020Z", WINRAR_DESC),
    # 3 derived: the genuine WinRAR.exe, negative for ours; upstream's always-true condition fires.
    rar("C:\\Program Files\\WinRAR\\WinRAR.exe", "WinRAR.exe",
        "{e2c04bb9-0b03-60c4-a319-400100000000}", 7123, "2021-06-11T09:21:30.450Z", WINRAR_DESC),
    # 4 derived: the genuine Rar.exe, negative for both.
    rar("C:\\Program Files\\WinRAR\\Rar.exe", "Rar.exe", "{e2c04bb9-0b04-60c4-a419-400100000000}",
        7134, "2021-06-11T09:21:58.700Z", RAR_DESC),
]


# --- Suspicious writes to windows Recycle Bin ---------------------------------------------
recycle = records(os.path.join(LARGE, "otrf/lateral_movement/covenant_dcom_iertutil_dll_hijack.json.gz"),
                  lambda r: r.get("EventID") == 11
                  and "recycle.bin" in r.get("TargetFilename", "").lower())
explorer_write = next(r for r in recycle if r["ProcessId"] == "212")
EXPLORER_GUID = explorer_write["ProcessGuid"]
# The recording holds no process creation for Explorer (it started before the capture); the
# join needs one, so one is derived from the real 7z.exe Sysmon 1 with Explorer's identity.
explorer_start = process("C:\\windows\\Explorer.EXE", "EXPLORER.EXE", EXPLORER_GUID, 212, "",
                         "2020-10-08T07:30:20.000Z",
                         extra=[("Description: 7-Zip Console", "Description: Windows Explorer"),
                                ("Product: 7-Zip", "Product: Microsoft® Windows® Operating System"),
                                ("Company: Igor Pavlov", "Company: Microsoft Corporation"),
                                ("C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\System32\\userinit.exe"),
                                ("WORKSTATION5\\APT-Simulator", "THESHIRE\\pgustavo"),
                                ("WORKSTATION5", "WORKSTATION5.theshire.local")])
explorer_start.update(Description="Windows Explorer", Product="Microsoft® Windows® Operating System",
                      Company="Microsoft Corporation")


def recycle_writer(image, guid, pid, started, wrote, file_name, original="EXPLORER.EXE"):
    """A process start and its write into the real user's Recycle Bin, both derived: the start
    from the real 7z.exe Sysmon 1, the write from Explorer's real $Recycle.Bin write."""
    start = derive(explorer_start, [("C:\\windows\\Explorer.EXE", image), (EXPLORER_GUID, guid),
                                    ("ProcessId: 212", f"ProcessId: {pid}"),
                                    ("C:\\Windows\\System32\\userinit.exe",
                                     "C:\\Windows\\System32\\cmd.exe")],
                   ProcessId=str(pid), **{"@timestamp": started, "TimeCreated": started})
    if original != "EXPLORER.EXE":
        start = derive(start, [("OriginalFileName: EXPLORER.EXE", f"OriginalFileName: {original}"),
                               ("Description: Windows Explorer", "Description: -")],
                       OriginalFileName=original, Description="-")
    write = derive(explorer_write, [("C:\\windows\\Explorer.EXE", image), (EXPLORER_GUID, guid),
                                    ("ProcessId: 212", f"ProcessId: {pid}"),
                                    ("$IRGP72V.dll", file_name)],
                   ProcessId=str(pid), **{"@timestamp": wrote})
    return [start, write]


recycle_bin = [
    # 1-3 real: Explorer's own writes into $Recycle.Bin (C: and D:), negatives.
    *recycle,
    # 4 derived: Explorer's process creation, so the join sees Explorer (negative: excluded by path).
    explorer_start,
    # 5-6 derived: explorer.exe started from C:\Users\Public (masquerading) hides an archive:
    # ours reports it (wrong path), upstream excludes every explorer.exe by name.
    *recycle_writer("C:\\Users\\Public\\explorer.exe", "{42c2e005-e3d0-5f80-0a08-000000000400}",
                    8120, "2020-10-09T22:40:01.000Z", "2020-10-09T22:40:05.125Z", "$RQ3STAGE.7z"),
    # 7-8 derived: C:\Users\Public\stage.exe writes an archive into the bin: both report it.
    *recycle_writer("C:\\Users\\Public\\stage.exe", "{42c2e005-e3d1-5f80-0b08-000000000400}", 8133,
                    "2020-10-09T22:41:10.000Z", "2020-10-09T22:41:12.500Z", "$RQ3DATA.rar",
                    original="stage.exe"),
]

# --- Suspicious writes to System Volume Information (deprecated) --------------------------
dfsr = records(os.path.join(otrf, "persistence/covenant_persistwmi.json.gz"),
               lambda r: r.get("EventID") == 11 and "System Volume" in r.get("TargetFilename", ""))
ntds = records(os.path.join(otrf, "credential_access/cmd_dumping_ntds_dit_file_ntdsutil.json.gz"),
               lambda r: r.get("EventID") in (11, 26) and "System Volume" in r.get("TargetFilename", ""))
esent = records(os.path.join(otrf, "credential_access/cmd_sam_copy_esentutl.json.gz"),
                lambda r: r.get("EventID") in (11, 26) and "System Volume" in r.get("TargetFilename", ""))
vss_write = next(r for r in ntds if r["Image"].lower().endswith("vssvc.exe"))
system_delete = next(r for r in ntds if r["EventID"] == 26)
def svi_write(template, image, pid, guid, target, ts):
    """A Sysmon 11 or 26 under System Volume Information derived from a real one: Image,
    ProcessId, ProcessGuid, TargetFilename and time changed, in the fields and in Message."""
    changes = [(f"Image: {template['Image']}\r\n", f"Image: {image}\r\n"),
               (f"ProcessId: {template.get('ProcessId')}\r\n", f"ProcessId: {pid}\r\n"),
               (template["ProcessGuid"], guid),
               (f"TargetFilename: {template['TargetFilename']}", f"TargetFilename: {target}")]
    fields = {"Image": image, "TargetFilename": target, "@timestamp": ts}
    if pid is not None:
        fields["ProcessId"] = pid
    return derive(template, changes, **fields)


svi = [
    # 1-2 real: DFS Replication (C:\Windows\system32\DFSRs.exe) writes its config, negatives.
    *dfsr,
    # 3-8 real: vssvc.exe (2 writes), System pid 4 (2 writes, 2 deletes) around a shadow copy.
    *ntds,
    # 9 real: System pid 4 writes a shadow copy file, negative.
    *esent,
    # 10 derived: a copy of VSSVC.exe in C:\ProgramData writes an archive there: positive.
    svi_write(vss_write, "C:\\ProgramData\\VSSVC.exe", "6120",
              "{fe86be69-0a10-64b8-1d03-000000001000}",
              "C:\\System Volume Information\\RemoteVss\\q3.7z", "2023-07-19T09:10:12.400Z"),
    # 11 derived: a copy of DFSRs.exe in C:\Users\Public writes into the DFSR folder, recorded
    # like the real DFSRs writes (2019 nxlog shape, no ProcessId): ours reports it (not the
    # full path), upstream's process_id!=4 needs a process_id and stays quiet.
    svi_write(dfsr[0], "C:\\Users\\Public\\dfsrs.exe", None,
              "{d14e8c55-4a01-5de8-0000-0010caf90200}",
              "C:\\System Volume Information\\DFSR\\q3.zip", "2019-12-05T04:52:10.000Z"),
    # 12 derived: the same copy of VSSVC.exe deletes its archive (Sysmon 26, from System's real
    # delete): negative, a delete is not a write.
    svi_write(system_delete, "C:\\ProgramData\\VSSVC.exe", "6120",
              "{fe86be69-0a10-64b8-1d03-000000001000}",
              "C:\\System Volume Information\\RemoteVss\\q3.7z", "2023-07-19T09:11:02.000Z"),
]

# --- Email files written outside of the Outlook directory ---------------------------------
OUTLOOK = "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"


def file_write(image, guid, pid, target, ts):
    """A Sysmon 11 derived from the real 7z.exe file write (C:\\TMP\\CreateNamedPipe.exe), its
    UtcTime and CreationUtcTime set to the new time (a new file: action created)."""
    stamp = ts.replace("T", " ").rstrip("Z")
    return derive(sz_sysmon11, [(SEVEN, image), (sz_sysmon11["ProcessGuid"], guid),
                                ("ProcessId: 6472", f"ProcessId: {pid}"),
                                ("C:\\TMP\\CreateNamedPipe.exe", target),
                                (sz_sysmon11["UtcTime"], stamp), (sz_sysmon11["CreationUtcTime"], stamp)],
                  ProcessId=str(pid), **{"@timestamp": ts, "TimeCreated": ts})


USER_DIR = "C:\\Users\\APT-Simulator"
outlook = [
    # 1 derived: Outlook creates its offline cache in its own folder: negative for both.
    file_write(OUTLOOK, "{e2c04bb9-0c01-60c4-b119-400100000000}", 7301,
               f"{USER_DIR}\\AppData\\Local\\Microsoft\\Outlook\\apt-simulator@corp.example.ost",
               "2021-06-11T09:30:01.000Z"),
    # 2 derived: Outlook creates an archive in Documents\Outlook Files: negative for ours;
    # upstream reports it (its exclusion says "My Documents", a name real paths never hold).
    file_write(OUTLOOK, "{e2c04bb9-0c01-60c4-b119-400100000000}", 7301,
               f"{USER_DIR}\\Documents\\Outlook Files\\archive.pst", "2021-06-11T09:30:40.000Z"),
    # 3 derived: the renamed archiver unpacks a mailbox into C:\TMP: positive for both.
    file_write("C:\\TMP\\wuhost.exe", "{e2c04bb9-0a10-60c4-9a19-400100000000}", 7010,
               "C:\\TMP\\finance-mailbox.pst", "2021-06-11T09:31:15.000Z"),
    # 4 derived: PowerShell drops an exported .pst into Outlook's folder: ours reports it (the
    # writer is not Outlook), upstream does not (AppData\Local\Microsoft\Outlook* is excluded).
    file_write("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
               "{e2c04bb9-0c02-60c4-b219-400100000000}", 7320,
               f"{USER_DIR}\\AppData\\Local\\Microsoft\\Outlook\\ceo-export.pst",
               "2021-06-11T09:32:02.000Z"),
    # 5 derived: a .pst.tmp in C:\TMP: near miss for both (the name does not end in .pst).
    file_write("C:\\TMP\\wuhost.exe", "{e2c04bb9-0a10-60c4-9a19-400100000000}", 7010,
               "C:\\TMP\\finance-mailbox.pst.tmp", "2021-06-11T09:31:10.000Z"),
    # 6 derived: an Outlook copy outside Program Files writes an .ost to its cache folder:
    # ours reports it (not Outlook's full path), upstream does not (folder excluded).
    file_write("C:\\Users\\Public\\OUTLOOK.EXE", "{e2c04bb9-0c03-60c4-b319-400100000000}", 7333,
               f"{USER_DIR}\\AppData\\Local\\Microsoft\\Outlook\\ceo@corp.example.ost",
               "2021-06-11T09:33:00.000Z"),
]

write_gzip(f"{OUT}/endpoint/renamed_7zip.json.gz", dump(renamed_7zip))
write_gzip(f"{OUT}/endpoint/renamed_winrar.json.gz", dump(renamed_winrar))
write_gzip(f"{OUT}/endpoint/recycle_bin.json.gz", dump(recycle_bin))
write_gzip(f"{OUT}/endpoint/system_volume_information.json.gz", dump(svi))
write_gzip(f"{OUT}/endpoint/outlook_data_files.json.gz", dump(outlook))

# --- Network: email servers and hosts, Zeek conn JSON -------------------------------------
zeek = records(os.path.join(EVENTS, "zeek/zed_sample_conn.json.gz"),
               lambda r: r.get("service") == "ssl")[0]
MAIL = "10.0.5.25"      # mail01, category email_server in samples/assets.csv
FILES = "10.0.5.40"     # files01, a file server (not an email server)
DAY = 86400
TODAY = 1795132800      # 2026-11-20T00:00:00Z; run with --now 2026-11-20T22:00:00Z
MB = 1_000_000


def conn(n, ts, orig, resp, orig_bytes, resp_bytes, port):
    """A Zeek conn record derived from the first TLS connection (service ssl) of zed_sample_conn:
    addresses, ports, time, byte counts and uid changed."""
    r = dict(zeek)
    r.update({"ts": ts, "uid": f"CSmpl{n:04d}mail", "id.orig_h": orig, "id.resp_h": resp,
              "id.resp_p": port, "orig_bytes": orig_bytes, "resp_bytes": resp_bytes,
              "service": "ssl" if port == 443 else "smtp" if port == 25 else "smb"})
    return r


# Daily megabytes per host, oldest first, the last entry today (None: no traffic that day).
# Hosts downloading from mail01 (they open the connection; mail01 answers: resp_bytes).
DOWNLOADS = {
    "10.0.1.11": [52, 55, 50, 57, 54, 53, 56],
    "10.0.1.12": [40, 44, 42, 39, 41, 43, 45],
    "10.0.1.13": [61, 58, 60, 63, 59, 62, 2400],   # the bulk download: both searches report it
    "10.0.1.14": [30, 33, 29, 31, 32, 30, 70],     # above its own history, not above everyone's
    "10.0.1.15": [None, None, None, 47, 49, 48, 2300],  # 3 days of history: ours waits for 4
}
# Hosts mail01 sends to (mail01 opens the connection: orig_bytes), e.g. journaling, relays.
PUSHES = {
    "10.0.2.21": [120, 118, 125, 122, 119, 121, 124],
    "10.0.2.22": [80, 84, 79, 82, 81, 83, 80],
    "10.0.2.23": [95, 99, 97, 96, 98, 94, 3100],   # the bulk push: both searches report it
    "10.0.2.24": [60, 62, 61, 59, 63, 60, 58],
}
net = []
n = 0
for day in range(7):
    base = TODAY - (6 - day) * DAY + 13 * 3600
    for i, (host, series) in enumerate(sorted(DOWNLOADS.items())):
        if series[day] is not None:
            n += 1
            net.append(conn(n, base + 60 * i + 0.25, host, MAIL, 2 * MB // 100 + day * 1000,
                            series[day] * MB, 443))
    for i, (host, series) in enumerate(sorted(PUSHES.items())):
        n += 1
        net.append(conn(n, base + 1800 + 60 * i + 0.5, MAIL, host, series[day] * MB, 40_000, 25))
    # A large download from the file server every day: not email traffic, never reported.
    n += 1
    net.append(conn(n, base + 3600.75, "10.0.1.11", FILES, 1 * MB,
                    (400 if day < 6 else 5000) * MB, 445))
net.sort(key=lambda r: r["ts"])
write_gzip(f"{OUT}/network/conn.json.gz", dump(net))

with open(f"{OUT}/assets.csv", "w", encoding="utf-8", newline="") as f:
    f.write("ip,mac,nt_host,dns,owner,priority,bunit,category\n")
    f.write(f"{MAIL},,mail01,mail01.corp.example,it-messaging,high,it,email_server|server\n")
    f.write(f"{FILES},,files01,files01.corp.example,it-storage,medium,it,file_server|server\n")

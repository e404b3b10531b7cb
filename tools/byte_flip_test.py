#!/usr/bin/env python3
"""Byte-flip test: change one random byte of LMDB's data file and run every read command on it.

Builds one small store (generated events, appended with views, plus a few events large enough
to need LMDB overflow pages), records what the read commands print, then for each trial copies
the store, XORs one byte of the copy's data.mdb with a random non-zero value and runs every read
command on the copy, each with a timeout: verify (text and --json), brands, cases, head, stats,
events (all, and by case, customer, brand and type), responsiveness, journey (two cases, and a
customer's), loyalty (a brand's and a customer's), audit (JSON, Markdown and HTML), replay --upto
and backup.

Offsets: with --branch-keys, each trial flips a key byte of a branch page (any but the page's
first key, which LMDB never compares): such a byte misroutes a lookup by key while a walk in key
order still sees every record. Otherwise a share of trials (--meta-share, default 5%) hits LMDB's two meta pages (mostly their
fields), about 45% hits a random page of a kind drawn at random (branch, leaf, leaf2
(MDB_DUPFIXED duplicates), overflow, free) at a byte the page uses, the rest any byte of the file.
Each trial's page is classified by walking LMDB's trees from the current meta page (the kind,
the database that owns it, and the part of the page: header, pointers, nodes, free space...);
the raw mp_flags field (byte 10 of the page) is counted as well.

A trial fails when
  - a command ends by a signal, exits with 128 or more, or does not end within --timeout;
  - a command exits 70 (internal error);
  - verify and verify --json disagree;
  - verify passes (exit 0) but a command fails or prints anything different from the original
    store ("verify missed a live byte").
A flip that passes verify and changes nothing any command prints is counted as a dead byte.
Exit codes other than 0, 65, 66 and 74 are listed in the summary. A copy of each failing damaged
store (with info.json saying what was flipped and what happened) is kept under a directory
printed at the end (--keep-dir, else a new one under the temporary directory). The store is
rebuilt on each run and appends stamp recorded_at, so a seed picks the same strategies and masks
but not always the same bytes on another run: the kept copies are what reproduces a failure.

    tools/byte_flip_test.py [--flips 200] [--seed 7] [--events 3000] [--timeout 60] [--branch-keys]
"""
import argparse
import collections
import hashlib
import json
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

from plaint_tools import binary, event_object, generate, run

BRAND = "swiftnet"  # a brand of generate_events.py: loyalty --brand and audit ask about it
BIG_EVENTS = (3000, 7000, 15000)  # text lengths of the events that need overflow pages
EXPECTED_CODES = {0, 65, 66, 74}

# LMDB 0.9 on-disk layout (lmdb/mdb.c, 64-bit): the page header is mp_pgno (8 bytes), mp_pad (2),
# mp_flags (2), then mp_lower and mp_upper (2 each), or mp_pages (4) on an overflow page.
P_BRANCH, P_LEAF, P_OVERFLOW, P_META, P_LEAF2 = 0x01, 0x02, 0x04, 0x08, 0x20
F_BIGDATA, F_SUBDATA, F_DUPDATA = 0x01, 0x02, 0x04
HEADER = 16
META_END = 152  # MDB_meta ends with mm_txnid at page offset 144
P_INVALID = 2**64 - 1
# Parts of a page no reader looks at: a flip there can only be a dead byte.
UNUSED_REGIONS = {"free space", "slack", "free page", "unused", "unreachable", "meta unused"}


def header(last="mp_lower/mp_upper", pad="mp_pad"):
    """The parts of a page header (a meta page has no mp_lower/mp_upper, but the bytes are there)."""
    return [(0, 8, "header mp_pgno"), (8, 10, f"header {pad}"), (10, 12, "header mp_flags"),
            (12, HEADER, f"header {last}")]


def u16(data, offset):
    return struct.unpack_from("<H", data, offset)[0]


def u32(data, offset):
    return struct.unpack_from("<I", data, offset)[0]


def u64(data, offset):
    return struct.unpack_from("<Q", data, offset)[0]


def flag_names(flags):
    names = [name for bit, name in ((P_BRANCH, "BRANCH"), (P_LEAF, "LEAF"), (P_OVERFLOW, "OVERFLOW"),
                                    (P_META, "META"), (P_LEAF2, "LEAF2")) if flags & bit]
    return "|".join(names) if names and not flags & ~0x3F else f"{flags:#06x} (not a header)"


class PageMap:
    """Every page of an LMDB data file: its kind, the database that owns it and its parts."""

    def __init__(self, content, page_size):
        self.data, self.size = content, page_size
        self.count = len(content) // page_size
        self.pages, self.problems, self.free_entries = {}, [], []
        self.branch_keys = []  # file offsets of the key bytes that branch pages compare on lookups
        metas = [(u64(content, number * page_size + 144), number) for number in (0, 1)
                 if u32(content, number * page_size + 16) == 0xBEEFC0DE]
        self.current_meta = max(metas)[1] if metas else 0
        for number in (0, 1):
            owner = "meta (current)" if number == self.current_meta else "meta (previous)"
            self.pages[number] = dict(kind="meta", owner=owner, regions=[
                *header(), (HEADER, META_END, "meta fields"), (META_END, page_size, "meta unused")])
        meta = self.current_meta * page_size
        self.last_page = u64(content, meta + 136)
        self.walk(u64(content, meta + 40 + 40), "freelist", collect=self.free_entries)  # mm_dbs[FREE_DBI].md_root
        self.walk(u64(content, meta + 40 + 48 + 40), "main")  # mm_dbs[MAIN_DBI].md_root
        for _, value in self.free_entries:
            for index in range(u64(value, 0)):
                number = u64(value, 8 + 8 * index)
                if number < self.count and number not in self.pages:
                    self.pages[number] = dict(kind="free", owner="freelist", regions=[(0, page_size, "free page")])
        for number in range(self.count):
            if number not in self.pages:
                kind = "unused" if number > self.last_page else "unreachable"
                self.pages[number] = dict(kind=kind, owner=kind, regions=[(0, page_size, kind)])

    def walk(self, root, owner, collect=None):
        stack = [] if root == P_INVALID else [root]
        while stack:
            number = stack.pop()
            if number < 2 or number >= self.count or number in self.pages:
                self.problems.append(f"{owner}: page {number} out of range or reached twice")
                continue
            page = memoryview(self.data)[number * self.size:(number + 1) * self.size]
            flags, lower, upper = u16(page, 10), u16(page, 12), u16(page, 14)
            keys = (lower - HEADER) >> 1
            if flags & P_LEAF and flags & P_LEAF2:
                end = HEADER + keys * u16(page, 8)  # mp_pad holds the fixed key size
                self.pages[number] = dict(kind="leaf2", owner=owner, regions=[
                    *header(pad="mp_pad (key size)"), (HEADER, end, "keys"), (end, self.size, "free space")])
                continue
            if not flags & (P_BRANCH | P_LEAF):
                self.problems.append(f"{owner}: page {number} has flags {flags:#x}")
                continue
            self.pages[number] = dict(kind="branch" if flags & P_BRANCH else "leaf", owner=owner, regions=[
                *header(), (HEADER, lower, "pointers"), (lower, upper, "free space"),
                (upper, self.size, "nodes")])
            for index in range(keys):
                node = u16(page, HEADER + 2 * index)
                low, high, node_flags, key_size = struct.unpack_from("<HHHH", page, node)
                if flags & P_BRANCH:
                    stack.append(low | high << 16 | node_flags << 32)
                    if index > 0:  # a branch page's first key is never compared (mdb.c, mdb_node_search)
                        start = number * self.size + node + 8
                        self.branch_keys.extend(range(start, start + key_size))
                    continue
                size, start = low | high << 16, node + 8 + key_size
                if node_flags & F_BIGDATA:
                    first = u64(page, start)
                    self.mark_overflow(first, size, owner)
                    value = self.data[first * self.size + HEADER:first * self.size + HEADER + size]
                else:
                    value = bytes(page[start:start + size])
                if node_flags & F_SUBDATA:  # a named database (main) or a key's duplicates (MDB_DUPSORT)
                    name = owner + " dups" if node_flags & F_DUPDATA else \
                        bytes(page[node + 8:node + 8 + key_size]).decode("utf-8", "replace")
                    self.walk(u64(value, 40), name)
                elif collect is not None:
                    collect.append((bytes(page[node + 8:node + 8 + key_size]), value))

    def mark_overflow(self, first, size, owner):
        if first < 2 or first >= self.count:
            self.problems.append(f"{owner}: overflow page {first} out of range")
            return
        for index in range(u32(self.data, first * self.size + 12)):
            start = HEADER if index == 0 else 0
            used = max(start, min(self.size, HEADER + size - index * self.size))
            regions = header(last="mp_pages") if index == 0 else []
            regions += [(start, used, "data"), (used, self.size, "slack")]
            self.pages[first + index] = dict(kind="overflow", owner=owner,
                                             regions=[region for region in regions if region[0] < region[1]])

    def describe(self, offset):
        """(page, kind, owner, region, raw mp_flags) of a byte offset."""
        number, within = divmod(offset, self.size)
        page = self.pages[number]
        region = next(label for start, end, label in page["regions"] if start <= within < end)
        return number, page["kind"], page["owner"], region, u16(self.data, number * self.size + 10)

    def live_offsets(self, number):
        """The byte ranges of a page that a reader looks at (all of it for a free or unused page)."""
        page = self.pages[number]
        ranges = [(start, end) for start, end, label in page["regions"] if label not in UNUSED_REGIONS]
        return ranges or [(0, self.size)]


def build_store(work, events, seed):
    source = f"{work}/events.ndjson"
    generate(source, events, seed)
    with open(source, "a") as out:
        for number, length in enumerate(BIG_EVENTS):
            text = ("the same complaint, at length. " * (length // 31 + 1))[:length]
            event = event_object(f"byteflip:big:{number}", "complaint.filed", "2024-03-01T12:00:00Z",
                                 f"byteflip-customer-{number}", BRAND, case=f"byteflip:big:{number}",
                                 channel="email", data={"text": text, "topic": "billing"})
            out.write(json.dumps(event) + "\n")
    store = f"{work}/original"
    run("append", "--store", store, source)
    return store


def normalise(name, text):
    if name.startswith("replay"):  # the time it took is not content
        try:
            document = json.loads(text)
            document.pop("seconds", None)
            return json.dumps(document, sort_keys=True)
        except ValueError:
            return text
    return text


def commands(store_events, case_ids, customer):
    """(name, arguments, compare output with the original's?) for every read command."""
    return [
        ("verify", ["verify"], True),
        ("brands --json", ["brands", "--json"], True),
        ("cases --json", ["cases", "--json"], True),
        ("events --case CASE1", ["events", "--case", case_ids[0]], True),
        ("events --customer CUSTOMER", ["events", "--customer", customer], True),
        (f"events --brand {BRAND}", ["events", "--brand", BRAND], True),
        ("events --type brand.replied", ["events", "--type", "brand.replied"], True),
        ("journey --customer CUSTOMER --json", ["journey", "--customer", customer, "--json"], True),
        ("loyalty --customer CUSTOMER --json", ["loyalty", "--customer", customer, "--json"], True),
        (f"audit {BRAND} (Markdown)", ["audit", BRAND], True),
        (f"audit {BRAND} --format html", ["audit", BRAND, "--format", "html"], True),
        ("verify --json", ["verify", "--json"], True),
        ("head --json", ["head", "--json"], True),
        ("stats --json", ["stats", "--json"], True),
        ("events", ["events"], True),
        ("responsiveness --json", ["responsiveness", "--json"], True),
        *[(f"journey CASE{number} --json", ["journey", case, "--json"], True)
          for number, case in enumerate(case_ids, 1)],
        (f"loyalty --brand {BRAND} --json", ["loyalty", "--brand", BRAND, "--json"], True),
        (f"audit {BRAND} --format json", ["audit", BRAND, "--format", "json"], True),
        (f"replay --upto {store_events // 2} --json", ["replay", "--upto", str(store_events // 2), "--json"], True),
        ("backup DEST", ["backup", "DEST"], False),
    ]


def run_all(store, work, command_list, timeout):
    """Each command's (exit code or 'timeout', normalised output, standard error (at most 20,000 characters))."""
    results = {}
    for name, arguments, _ in command_list:
        destination = None
        if "DEST" in arguments:
            destination = tempfile.mkdtemp(prefix="backup-", dir=work)
            arguments = [destination if argument == "DEST" else argument for argument in arguments]
        try:
            result = run(*arguments, "--store", store, check=False, timeout=timeout, errors="replace",
                         stdin=subprocess.DEVNULL, cwd=work)
            results[name] = (result.returncode, normalise(name, result.stdout), result.stderr.strip()[:20000])
        except subprocess.TimeoutExpired:
            results[name] = ("timeout", "", f"no end within {timeout} s")
        if destination:
            shutil.rmtree(destination, ignore_errors=True)
    return results


def first_line(error):
    return error.splitlines()[0][:200] if error else ""


def describe_code(code):
    if code == "timeout":
        return "timeout"
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return str(code)


def first_difference(expected, got):
    for number, (old, new) in enumerate(zip(expected.splitlines(), got.splitlines()), 1):
        if old != new:
            where = next(index for index, (a, b) in enumerate(zip(old + "\0", new + "\0")) if a != b)
            return f"line {number}, column {where + 1}: {old[max(0, where - 30):where + 30]!r} became " \
                   f"{new[max(0, where - 30):where + 30]!r}"
    return f"{len(expected.splitlines())} lines became {len(got.splitlines())}"


def judge(results, baseline, command_list):
    """(outcome, [failures], [commands that printed something different with exit 0])."""
    failures, silent = [], []
    for name, _, _ in command_list:
        code, _, error = results[name]
        if code == "timeout" or code < 0 or code >= 128:
            failures.append((name, f"ended by {describe_code(code)}" if code != "timeout" else f"timeout: {error}"))
        elif code == 70:
            failures.append((name, f"internal error (exit 70): {first_line(error)}"))
    verify_code, json_code = results["verify"][0], results["verify --json"][0]
    if isinstance(verify_code, int) and isinstance(json_code, int) and verify_code >= 0 and json_code >= 0 \
            and (verify_code == 0) != (json_code == 0):
        failures.append(("verify", f"verify exited {verify_code}, verify --json {json_code}"))
    verified = verify_code == 0 and json_code == 0
    changed = False
    for name, _, compare in command_list:
        code, output, error = results[name]
        if code != 0:
            changed = True
            if verified and isinstance(code, int) and 0 < code < 128 and code != 70:
                failures.append((name, f"verify missed a live byte: {name} exited {code}: {first_line(error)}"))
        elif compare and output != baseline[name][1]:
            changed = True
            silent.append(name)
            if verified:
                failures.append((name, f"verify missed a live byte: {name} output differs "
                                       f"({first_difference(baseline[name][1], output)})"))
    if failures:
        return "failed", failures, silent
    return ("dead" if not changed else "detected"), failures, silent


def choose_offset(chooser, pages, file_size, meta_share, kinds, branch_keys):
    """(offset, strategy): a meta page, a page of a kind drawn at random, or anywhere; or, with
    branch_keys, a key byte of a branch page (those steer keyed lookups, which a walk in key order
    never compares)."""
    if branch_keys:
        return chooser.choice(pages.branch_keys), "branch key"
    draw = chooser.random()
    if draw < meta_share:
        number = chooser.randrange(2)
        within = chooser.randrange(META_END) if chooser.random() < 0.75 else chooser.randrange(pages.size)
        return number * pages.size + within, "meta"
    if draw < meta_share + 0.45 and kinds:
        kind = chooser.choice(kinds)
        number = chooser.choice([page for page, info in pages.pages.items() if info["kind"] == kind])
        start, end = chooser.choice(pages.live_offsets(number))
        return number * pages.size + chooser.randrange(start, end), f"kind {kind}"
    return chooser.randrange(file_size), "uniform"


def flip(store, offset, mask):
    with open(f"{store}/data.mdb", "r+b") as data:
        data.seek(offset)
        old = data.read(1)[0]
        data.seek(offset)
        data.write(bytes([old ^ mask]))
    return old


def digest(path):
    with open(path, "rb") as data:
        return hashlib.sha256(data.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flips", type=int, default=200, help="trials, one flipped byte each (default 200)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--events", type=int, default=3000, help="generated events in the store (default 3000)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds each command may take (default 60)")
    parser.add_argument("--meta-share", type=float, default=0.05, help="share of flips in the meta pages")
    parser.add_argument("--branch-keys", action="store_true",
                        help="flip only key bytes of branch pages (beyond each page's first key)")
    parser.add_argument("--keep-dir", help="where to keep copies of failing stores (default: a new temporary one)")
    arguments = parser.parse_args()
    chooser = random.Random(arguments.seed)
    started = time.monotonic()
    print(f"plaint: {binary()}")
    with tempfile.TemporaryDirectory(prefix="plaint-byteflip-") as work:
        original = build_store(work, arguments.events, arguments.seed)
        stats = json.loads(run("stats", "--json", "--store", original).stdout)
        events_output = run("events", "--store", original).stdout.splitlines()
        cases = [json.loads(line).get("case") for line in events_output]
        case_ids = [next(case for case in cases if case), f"byteflip:big:{len(BIG_EVENTS) - 1}"]
        customer = next(json.loads(line)["customer"] for line in events_output
                        if json.loads(line).get("case") == case_ids[0])
        command_list = commands(stats["events"], case_ids, customer)
        with open(f"{original}/data.mdb", "rb") as data:
            content = data.read()
        pages = PageMap(content, stats["page_size"])
        if pages.problems:
            print("warning: the page walk of the original store found:", "; ".join(pages.problems[:5]))
        layout = collections.Counter(info["kind"] for info in pages.pages.values())
        print(f"store: {stats['events']} events, data.mdb {len(content)} bytes = {pages.count} pages of "
              f"{pages.size} ({', '.join(f'{count} {kind}' for kind, count in sorted(layout.items()))}); "
              f"cases for journey: {', '.join(case_ids)}")

        # The original's outputs, twice on two copies: only what is the same both times is compared.
        baseline = None
        for attempt in range(2):
            copy = f"{work}/baseline-{attempt}"
            shutil.copytree(original, copy)
            before = digest(f"{copy}/data.mdb")
            results = run_all(copy, work, command_list, arguments.timeout)
            for name, (code, _, error) in results.items():
                if code != 0:
                    sys.exit(f"on the undamaged store, {name} exited {describe_code(code)}: {first_line(error)}")
            if digest(f"{copy}/data.mdb") != before:
                print("warning: the read commands changed data.mdb of the undamaged store")
            if baseline:
                for index, (name, arguments_, compare) in enumerate(command_list):
                    if compare and results[name][1] != baseline[name][1]:
                        print(f"note: {name} prints different output on two copies of one store; not compared")
                        command_list[index] = (name, arguments_, False)
            baseline = results
            shutil.rmtree(copy)
        if arguments.branch_keys:
            print(f"{len(pages.branch_keys)} key bytes in branch pages beyond their first keys")
        print(f"baseline recorded in {time.monotonic() - started:.1f} s; {arguments.flips} flips follow")

        kinds = sorted(kind for kind in layout if kind not in ("meta", "unused", "unreachable"))
        codes = {name: collections.Counter() for name, _, _ in command_list}
        by_kind = collections.defaultdict(collections.Counter)
        by_owner = collections.defaultdict(collections.Counter)
        by_region = collections.defaultdict(collections.Counter)
        raw_flags = collections.Counter()
        silent_counts = collections.Counter()
        unexpected, failures, dead_live = [], [], []
        crashes = collections.defaultdict(collections.Counter)  # (command, how it ended) -> page parts
        keep_dir = arguments.keep_dir
        passed = 0
        for trial in range(1, arguments.flips + 1):
            trial_seed = chooser.getrandbits(32)
            trial_chooser = random.Random(trial_seed)
            offset, strategy = choose_offset(trial_chooser, pages, len(content), arguments.meta_share, kinds,
                                             arguments.branch_keys)
            mask = trial_chooser.randrange(1, 256)
            number, kind, owner, region, flags = pages.describe(offset)
            raw_flags[flag_names(flags)] += 1
            store = f"{work}/trial"
            shutil.copytree(original, store)
            old = flip(store, offset, mask)
            results = run_all(store, work, command_list, arguments.timeout)
            shutil.rmtree(store)
            outcome, found, silent = judge(results, baseline, command_list)
            by_kind[kind][outcome] += 1
            by_owner[owner][outcome] += 1
            by_region[f"{kind}: {region}"][outcome] += 1
            for name in silent:
                silent_counts[name] += 1
            for name, (code, _, error) in results.items():
                codes[name][describe_code(code)] += 1
                if isinstance(code, int) and 0 <= code < 128 and code not in EXPECTED_CODES and code != 70:
                    unexpected.append(f"trial {trial}: {name} exited {code} ({kind} page {number}): "
                                      f"{first_line(error)}")
            where = f"page {number} {kind} ({owner}, {region}) offset {offset} {old:#04x}^{mask:#04x}"
            if outcome == "dead" and region not in UNUSED_REGIONS:
                dead_live.append(f"trial {trial}: {where}")
            if outcome == "failed":
                if keep_dir is None:
                    keep_dir = tempfile.mkdtemp(prefix="plaint-byteflip-kept-")
                kept = f"{keep_dir}/trial-{trial:03}-seed-{trial_seed}"
                shutil.copytree(original, f"{kept}/store")
                flip(f"{kept}/store", offset, mask)
                record = dict(trial=trial, seed=trial_seed, run_seed=arguments.seed, strategy=strategy, offset=offset,
                              page=number, kind=kind, owner=owner, region=region, mp_flags=flags, old_byte=old,
                              xor=mask,
                              failures=[dict(command=name, what=what) for name, what in found],
                              exit_codes={name: describe_code(code) for name, (code, _, _) in results.items()},
                              stderr={name: error for name, (_, _, error) in results.items() if error})
                with open(f"{kept}/info.json", "w") as info:
                    json.dump(record, info, indent=2)
                verify_said = f"verify exit {describe_code(results['verify'][0])}"
                for name, what in found:
                    failures.append(f"trial {trial} (seed {trial_seed}): {where} ({verify_said}): {name}: {what}")
                    ending = what.split(":")[0] if not what.startswith("verify exited") else "disagreement"
                    crashes[(name, ending.removeprefix("ended by "))][f"{kind}: {region}"] += 1
                print(f"trial {trial:3}: {where}: FAILED: " + "; ".join(f"{name}: {what}" for name, what in found))
            else:
                passed += 1
                verdict = "dead byte" if outcome == "dead" else f"verify {results['verify'][0]}"
                print(f"trial {trial:3}: {where}: {verdict}")
            sys.stdout.flush()

        print(f"\n{arguments.flips} flips in {time.monotonic() - started:.0f} s (seed {arguments.seed})")
        print("\npage kinds hit (by the page walk): trials, and detected by verify / dead / failed")
        for kind in sorted(by_kind, key=lambda k: -sum(by_kind[k].values())):
            counts = by_kind[kind]
            print(f"  {kind:12} {sum(counts.values()):4}   {counts['detected']:4} detected {counts['dead']:4} dead "
                  f"{counts['failed']:4} failed")
        print("by part of the page:")
        for part in sorted(by_region):
            counts = by_region[part]
            print(f"  {part:40} {sum(counts.values()):4}   {counts['detected']:4} detected {counts['dead']:4} dead "
                  f"{counts['failed']:4} failed")
        print("by database: " + ", ".join(f"{owner} {sum(counts.values())}" for owner, counts in
                                          sorted(by_owner.items(), key=lambda item: -sum(item[1].values()))))
        print("raw mp_flags of the pages hit: " + ", ".join(f"{name} {count}" for name, count in
                                                            raw_flags.most_common()))
        print("\nexit codes per command:")
        for name, counter in codes.items():
            print(f"  {name:34} " + ", ".join(f"{code}: {count}" for code, count in
                                               sorted(counter.items(), key=lambda item: -item[1])))
        if silent_counts:
            print("\nexit 0 with output different from the original's (verify reported the damage):")
            for name, count in silent_counts.most_common():
                print(f"  {name:34} {count}")
        dead = sum(counts["dead"] for counts in by_kind.values())
        print(f"\ndead bytes (verify passes, every output unchanged): {dead}"
              + (f", {len(dead_live)} of them outside free space, slack, free pages and unused meta bytes:"
                 if dead_live else ""))
        for line in dead_live:
            print("  " + line)
        if unexpected:
            print(f"\nexit codes other than {sorted(EXPECTED_CODES)}, 70 and signals ({len(unexpected)}):")
            for line in unexpected:
                print("  " + line)
        if failures:
            print(f"\nfailures ({len(failures)} in {arguments.flips - passed} trials):")
            for line in failures:
                print("  " + line)
            print("\nfailures by command and how it ended (page kind: part of the page, trials):")
            for (name, ending), parts in sorted(crashes.items()):
                print(f"  {name} {ending}: " + ", ".join(f"{part} {count}" for part, count in parts.most_common()))
            print(f"copies of the damaged stores, each with info.json: {keep_dir}")
        print(f"byte flip test: {passed} passed, {arguments.flips - passed} failed")
        return 1 if passed < arguments.flips else 0


if __name__ == "__main__":
    sys.exit(main())

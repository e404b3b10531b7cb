#!/usr/bin/env python3
"""Rewrites a twcs CSV the way data tools re-export it, for tests of `plaint import twcs`.

The output holds the same tweets with every quirk seen in circulating copies: a byte order mark;
a leading unnamed index column (pandas' `to_csv` default); the columns in another order; tweet
ids written as floats (`3.0`, as pandas writes an id column that has empty cells); `inbound` in
upper or lower case; CRLF line ends; carriage returns inside text left unquoted where nothing
else forces quotes; quoted fields keeping their line breaks.

    tools/twcs_reexport.py twcs.csv > twcs-reexported.csv
"""
import argparse
import csv
import io
import re
import sys

ORDER = ["author_id", "tweet_id", "inbound", "created_at", "text", "in_response_to_tweet_id", "response_tweet_id"]


def field(value):
    """Quotes only what RFC 4180 needs quoted; a lone carriage return is left bare."""
    if any(c in value for c in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def as_float(tweet_id):
    return tweet_id + ".0" if tweet_id else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="a twcs CSV with the standard header")
    arguments = parser.parse_args()
    out = sys.stdout.buffer
    with open(arguments.source, newline="", encoding="utf-8") as source:
        # Python's csv ends a record at a bare carriage return; park those while parsing.
        text = re.sub("\r(?!\n)", "\0", source.read())
        rows = csv.DictReader(io.StringIO(text, newline=""))
        out.write("\ufeff".encode() + ("," + ",".join(ORDER) + "\r\n").encode())
        for index, row in enumerate(rows):
            row["tweet_id"] = as_float(row["tweet_id"])
            row["in_response_to_tweet_id"] = as_float(row["in_response_to_tweet_id"])
            row["inbound"] = row["inbound"].upper() if index % 2 else row["inbound"].lower()
            cells = [str(index)] + [field(row[name]).replace("\0", "\r") for name in ORDER]
            out.write((",".join(cells) + "\r\n").encode())


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Seeded generator of a twcs-format CSV ("Customer Support on Twitter"), for benchmarks of
`plaint import twcs` at the real dataset's scale (2.8 million rows, about 180 bytes each).

Rows have the dataset's columns and formats and its mix: threads rooted at a customer's tweet
that @mentions a brand, brand replies (some asking to move to DM, e-mail or phone), customer
follow-ups, branching replies, now and then a third party, a brand broadcast, a reply whose
parent is not in the file, a thread no brand answers. Texts hold commas, quotes and line breaks
(quoted as RFC 4180 says). Tweet ids grow with time within a thread and from one thread to the next.
The tweets are invented; no real tweet is copied.

    tools/generate_twcs.py --rows 1000000 --seed 3 > twcs.csv
"""
import argparse
import csv
import random
import sys
from datetime import datetime, timedelta, timezone

BRANDS = ["AcmeHelp", "FlyBetter", "NetNowCares", "ShopMartHelp", "BankOnUs", "RailwayLive", "PhoneCoSupport",
          "StreamFlixHelp"]
COMPLAINTS = [
    "my internet has been down since this morning, again",
    "charged twice for the same order, where is my refund?",
    "flight delayed 5 hours and not a word from the crew",
    "the app logs me out every time I try to pay, \"reinstall\" did nothing",
    "parcel marked delivered, nothing at the door",
    "speed is 6 Mb on a 10 Mb plan, for weeks now",
]
ANSWERS = [
    "Sorry to hear that! Our team is on it, it should be fixed within the hour.",
    "Thanks for flagging, we have refunded the duplicate charge.",
    "We're sorry for the delay, your case is now with our specialists.",
]
REDIRECTS = [
    "Sorry about this. Please send us a DM with your account number and we'll take a look.",
    "Could you email us at help@example.com with your order number?",
    "Please call our helpline on 0800 123 4567, they can sort this for you.",
]
FOLLOW_UPS = ["still nothing", "any update?", "sent, thanks", "that did not work,\nsame problem"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def twitter_time(moment):
    return "%s %s %02d %02d:%02d:%02d +0000 %d" % (DAYS[moment.weekday()], MONTHS[moment.month - 1], moment.day,
                                                    moment.hour, moment.minute, moment.second, moment.year)


def threads(r):
    """Endless threads, each a list of (seconds after its root, author, inbound, text, parent index)."""
    customer = 100_000
    while True:
        customer += r.randint(1, 3)
        brand = r.choice(BRANDS)
        roll = r.random()
        if roll < 0.03:
            yield [(0, brand, False, "Planned maintenance tonight, 1am to 3am.", None)]
            continue
        author = str(customer)
        tweets = [(0, author, True, "@%s %s" % (brand, r.choice(COMPLAINTS)), None)]
        if roll < 0.08:
            yield tweets  # nobody answers
            continue
        moment = 0
        replies = r.choice([1, 1, 1, 2, 2, 3])
        parent = 0
        for _ in range(replies):
            moment += int(r.lognormvariate(7.5, 1.2))
            text = r.choice(REDIRECTS) if r.random() < 0.3 else r.choice(ANSWERS)
            tweets.append((moment, brand, False, "@%s %s" % (author, text), parent))
            reply = len(tweets) - 1
            if r.random() < 0.6:
                moment += int(r.lognormvariate(6.5, 1.0))
                tweets.append((moment, author, True, "@%s %s" % (brand, r.choice(FOLLOW_UPS)), reply))
                parent = len(tweets) - 1
        if r.random() < 0.03:
            tweets.append((moment + 60, str(customer + 1), True, "@%s same here" % author, 0))
        yield tweets


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000, help="how many tweets (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    arguments = parser.parse_args()
    r = random.Random(arguments.seed)
    start = datetime(2017, 10, 1, tzinfo=timezone.utc)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
                     "in_response_to_tweet_id"])
    # Ids of missing parents are below the first id in the file.
    next_id = 10_000_000
    root_time = 0.0
    written = 0
    source = threads(r)
    while written < arguments.rows:
        root_time += r.expovariate(1 / 2.0)
        thread = next(source)
        ids = [0] * len(thread)
        # Ids follow time within the thread; the root's parent is sometimes outside the file.
        order = sorted(range(len(thread)), key=lambda index: thread[index][0])
        for index in order:
            ids[index] = next_id
            next_id += r.randint(1, 4)
        for index, (offset, author, inbound, text, parent) in enumerate(thread):
            if parent is None:
                in_response_to = str(r.randint(1, 9_999_999)) if index == 0 and r.random() < 0.02 else ""
            else:
                in_response_to = str(ids[parent])
            responses = ",".join(str(ids[child]) for child, tweet in enumerate(thread) if tweet[4] == index)
            moment = start + timedelta(seconds=root_time + offset)
            writer.writerow([ids[index], author, "True" if inbound else "False", twitter_time(moment), text,
                             responses, in_response_to])
            written += 1
            if written == arguments.rows:
                break


if __name__ == "__main__":
    main()

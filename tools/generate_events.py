#!/usr/bin/env python3
"""Seeded generator of realistic plaint events (NDJSON on stdout).

Cases of 1-8 events: a complaint, replies after realistic delays (some brands fast, some slow,
some that redirect to DM or ignore), follow-ups, escalations, resolutions, reopens,
abandonments, ratings; plus relationship events (unconsented downgrades, churn, renewals).
Events come out in case order, not time order, as real exports often do. About 300 bytes each.

    tools/generate_events.py --events 1000000 --seed 7 > events.ndjson
"""
import argparse
import json
import random
import sys
from datetime import datetime, timedelta, timezone

from plaint_tools import event_object

BRANDS = {
    # name: (share of complaints answered, median reply minutes, redirect share)
    "swiftnet": (0.95, 12, 0.05),
    "dmfirst": (0.90, 45, 0.85),
    "silentco": (0.25, 600, 0.10),
    "cutrate": (0.60, 180, 0.20),
    "slowbutsure": (0.92, 1300, 0.05),
    "airline_x": (0.70, 90, 0.40),
    "bankly": (0.80, 240, 0.30),
    "shopmart": (0.65, 300, 0.15),
}
CHANNELS = ["twitter"] * 6 + ["facebook"] * 2 + ["email", "chat", "phone", "web", "store", "forum"]
TOPICS = ["billing", "speed", "outage", "delivery", "refund", "account", "fees", "cancellation"]
COMPLAINTS = [
    "My paid 10 Mb line has been running at 6 Mb for a week and nobody tells me why",
    "Charged twice for the same order, still waiting for the refund you promised",
    "Third outage this month, working from home is impossible, what is going on",
    "Package marked delivered but nothing arrived, neighbours have not seen it either",
    "Your app logs me out every time I try to pay, tried reinstalling twice already",
    "Flight cancelled with two hours notice and no rebooking offered at the desk",
]
REPLIES = [
    "Sorry to hear that, we are looking into it and will get back to you shortly",
    "Thanks for your patience, a technician has been booked for tomorrow morning",
    "We have refunded the duplicate charge, it should show within 3-5 working days",
]
REDIRECTS = [
    "Please send us a DM with your account number so we can take a look",
    "Could you email us at support with your order reference please",
    "Please call our helpline so an agent can verify your account",
]
FOLLOWUPS = ["Any update on this?", "Still nothing. Day three.", "Hello?? Is anyone reading this?"]


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if moment.microsecond == 0 else ".%06dZ" % moment.microsecond)


class Generator:
    def __init__(self, seed, start, brands=None, customers=200_000, id_prefix="gen"):
        self.random = random.Random(seed)
        self.id_prefix = id_prefix
        self.brands = brands or list(BRANDS)
        self.customers = customers
        self.start = start
        self.count = 0
        self.case_number = 0

    def event(self, kind, moment, case, customer, brand, channel=None, data=None, source="generator"):
        self.count += 1
        return event_object("%s:%d" % (self.id_prefix, 1_000_000_000 + self.count), kind, stamp(moment), customer, brand, case,
                            channel, data, meta={"source": source, "correlation_id": case or customer})

    def daytime(self):
        """A filing time with daily and weekly rhythm: busier evenings, quieter nights and Sundays."""
        r = self.random
        day = self.start + timedelta(days=r.randrange(365))
        if day.weekday() == 6 and r.random() < 0.4:
            day += timedelta(days=1)
        hour = min(23, max(0, int(r.gauss(15, 4.5))))
        return day.replace(hour=hour, minute=r.randrange(60), second=r.randrange(60))

    def case(self):
        r = self.random
        self.case_number += 1
        brand = r.choice(self.brands)
        answered_share, median_minutes, redirect_share = BRANDS[brand]
        customer = "cust%07d" % r.randrange(1, self.customers)
        case = "case:%s:%s%08d" % (brand, "" if self.id_prefix == "gen" else self.id_prefix + "-", self.case_number)
        channel = r.choice(CHANNELS)
        filed = self.daytime()
        events = [self.event("complaint.filed", filed, case, customer, brand, channel, {
            "text": r.choice(COMPLAINTS), "topic": r.choice(TOPICS),
            "severity": r.choice(["low", "medium", "medium", "high", "critical"]), "public": channel != "email"})]
        budget = r.randint(1, 8) - 1
        moment = filed
        if budget and r.random() < 0.15:
            moment += timedelta(seconds=r.randint(5, 120))
            events.append(self.event("brand.replied", moment, case, customer, brand, channel, {"kind": "auto"}))
            budget -= 1
        if budget and r.random() > answered_share:
            while budget:
                moment += timedelta(hours=r.uniform(2, 30))
                if r.random() < 0.7:
                    events.append(self.event("customer.followed_up", moment, case, customer, brand, channel,
                                             {"text": r.choice(FOLLOWUPS)}))
                else:
                    events.append(self.event("case.abandoned", moment, case, customer, brand, None,
                                             {"reason": "no answer"}))
                    break
                budget -= 1
            return events
        while budget:
            delay = timedelta(minutes=r.lognormvariate(0, 1.1) * median_minutes)
            moment += delay
            if r.random() < redirect_share and not any(e["type"] == "brand.replied" and e["data"]["kind"] != "auto" for e in events):
                events.append(self.event("brand.replied", moment, case, customer, brand, channel,
                                         {"kind": "redirect", "to_channel": r.choice(["dm", "email", "phone"]),
                                          "agent": "agent%02d" % r.randrange(40), "text": r.choice(REDIRECTS)}))
                channel = events[-1]["data"]["to_channel"]
            else:
                events.append(self.event("brand.replied", moment, case, customer, brand, channel,
                                         {"kind": "answer", "agent": "agent%02d" % r.randrange(40), "text": r.choice(REPLIES)}))
            budget -= 1
            if not budget:
                break
            moment += timedelta(minutes=r.uniform(5, 600))
            roll = r.random()
            if roll < 0.45:
                events.append(self.event("customer.followed_up", moment, case, customer, brand, channel,
                                         {"text": r.choice(FOLLOWUPS)}))
            elif roll < 0.55:
                events.append(self.event("case.escalated", moment, case, customer, brand, None,
                                         {"to": r.choice(["tier2", "regulator", "social_team"]), "reason": "unresolved"}))
            elif roll < 0.9:
                events.append(self.event("case.resolved", moment, case, customer, brand, None,
                                         {"resolution": r.choice(["fixed", "refunded", "explained", "declined"]), "by": "brand"}))
                budget -= 1
                if budget and r.random() < 0.5:
                    moment += timedelta(hours=r.uniform(1, 48))
                    events.append(self.event("customer.rated", moment, case, customer, brand, None,
                                             {"scale": "nps", "score": r.randint(0, 10)}))
                elif budget:
                    moment += timedelta(days=r.uniform(1, 10))
                    events.append(self.event("case.reopened", moment, case, customer, brand, None, {"reason": "came back"}))
                    budget -= 1
                    continue
                break
            else:
                events.append(self.event("case.abandoned", moment, case, customer, brand, None, {"reason": "gave up"}))
                break
            budget -= 1
        return events

    def relationship(self):
        r = self.random
        brand = r.choice(self.brands)
        customer = "cust%07d" % r.randrange(1, self.customers)
        moment = self.daytime()
        roll = r.random()
        if roll < 0.5:
            consented = brand != "cutrate" and r.random() < 0.7
            return [self.event("vendor.changed_service", moment, None, customer, brand, None, {
                "change": r.choice(["downgrade", "price_increase", "policy", "upgrade", "outage"]),
                "consented": consented, "description": "Line profile changed from 10 Mb to 6 Mb"})]
        if roll < 0.75:
            return [self.event("customer.churned", moment, None, customer, brand, None, {"reason": "moved to a competitor"})]
        return [self.event("customer.renewed", moment, None, customer, brand, None, {})]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000, help="how many events (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--start", default="2024-01-01", help="first day of the year of events")
    parser.add_argument("--brands", help="only these brands, comma-separated (default: all %d personas)" % len(BRANDS))
    parser.add_argument("--id-prefix", default="gen",
                        help="prefix of event ids, and of case numbers unless it is the default 'gen', so that "
                             "two generated inputs can go into one store (default gen)")
    parser.add_argument("--customers", type=int, default=200_000, help="customer ids drawn from 1..N (default 200000)")
    arguments = parser.parse_args()
    brands = arguments.brands.split(",") if arguments.brands else None
    if brands and any(brand not in BRANDS for brand in brands):
        parser.error("--brands: choose among " + ", ".join(BRANDS))
    generator = Generator(arguments.seed, datetime.fromisoformat(arguments.start).replace(tzinfo=timezone.utc),
                          brands, max(2, arguments.customers), arguments.id_prefix)
    written = 0
    out = sys.stdout
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    while written < arguments.events:
        batch = generator.relationship() if generator.random.random() < 0.03 else generator.case()
        for event in batch[: arguments.events - written]:
            out.write(dumps(event))
            out.write("\n")
            written += 1


if __name__ == "__main__":
    main()

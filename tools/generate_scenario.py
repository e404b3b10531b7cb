#!/usr/bin/env python3
"""Seeded scenario generator: brands with known personas, customers who react to them.

Writes NDJSON events for `plaint append` to stdout (any size; memory grows only with the number
of customers). Five brand personas, each defined by how it staffs and answers, so their figures
are known before any event is generated:

  quickfix     fast responder: answers 97% of complaints, around the clock, median 12 minutes;
               resolves 90% within hours.
  dmonly       redirector: answers 92% within about an hour, but 90% of first replies ask the
               customer to move to DM; resolves 55%.
  slowbutsure  slow but thorough resolver: answers 96%, only Monday-Friday 9:00-17:00, median 10
               working hours; resolves 95%, rarely reopened.
  cutrate      downgrader: answers 80% within about 3 hours, Monday-Saturday 8:00-20:00, and
               silently downgrades about a third of its customers (vendor.changed_service,
               downgrade, consented false); some complain about it, many churn.
  ghostline    ignorer: answers 12% of complaints, slowly.

What follows from the definitions (checked for several seeds by Tests/EndToEndTests/ScenarioPersonaTests.swift):
`plaint responsiveness` ranks quickfix first and ghostline last by response rate within 72 h;
quickfix has the lowest median first response time, slowbutsure the highest of the four brands
that answer most complaints; dmonly the highest redirect share; slowbutsure the highest resolution rate. In `plaint
loyalty`, quickfix's customers are the most loyal, and cutrate's customers who were downgraded
are less loyal than its other customers.

Customers: complaints are filed with a daily rhythm (quiet nights, a peak in the evening) and a
weekly one (Mondays busiest, Sundays quietest). A customer who hears nothing follows up after a
few hours, again later, then escalates or abandons; a customer left unanswered, or downgraded,
may churn; a customer well served may rate the brand and renew. Every event of a case follows
its complaint in time, and a downgrade comes before the complaint it causes.

    tools/generate_scenario.py --cases 2000 --seed 7 > scenario.ndjson
"""
import argparse
import json
import math
import random
import sys
from datetime import datetime, timezone

from plaint_tools import event_object

HOUR = 3600
DAY = 24 * HOUR


class Persona:
    def __init__(self, name, answered, median_minutes, hours, redirect, resolved, resolve_hours,
                 more_replies=0.3, downgrades=0.0, auto=0.0, reopen=0.05):
        self.name = name
        self.answered = answered  # share of complaints that get a reply at all
        self.median_minutes = median_minutes  # median reply delay, in staffed minutes
        self.hours = hours  # (weekdays 0=Monday.., first hour, last hour) when replies are written
        self.redirect = redirect  # share of first replies that redirect
        self.resolved = resolved  # share of answered complaints resolved
        self.resolve_hours = resolve_hours  # median staffed hours from the first reply to the resolution
        self.more_replies = more_replies  # share of resolved cases with a second reply before the resolution
        self.downgrades = downgrades  # share of customers silently downgraded
        self.auto = auto  # share of complaints that get an automatic acknowledgement first
        self.reopen = reopen


EVERY_DAY = range(7)
PERSONAS = [
    Persona("quickfix", 0.97, 12, (EVERY_DAY, 0, 24), 0.03, 0.90, 3, more_replies=0.2, auto=0.1),
    Persona("dmonly", 0.92, 50, (EVERY_DAY, 8, 20), 0.90, 0.55, 24, more_replies=0.8),
    Persona("slowbutsure", 0.96, 600, (range(5), 9, 17), 0.02, 0.95, 30, more_replies=0.6, reopen=0.02),
    Persona("cutrate", 0.80, 180, (range(6), 8, 20), 0.10, 0.60, 20, downgrades=0.35, auto=0.3),
    Persona("ghostline", 0.12, 1500, (range(5), 10, 16), 0.20, 0.40, 72, auto=0.5),
]

CHANNELS = ["twitter"] * 5 + ["facebook"] * 2 + ["instagram", "email", "chat", "web", "forum"]
COMPLAINTS = {
    "speed": "My paid 10 Mb line has been running at 6 Mb for a week and nobody tells me why",
    "billing": "Charged twice for the same month, still waiting for the refund you promised",
    "outage": "Third outage this month, working from home is impossible, what is going on",
    "delivery": "Router marked delivered but nothing arrived, neighbours have not seen it either",
    "account": "Your app logs me out every time I try to pay, reinstalled it twice already",
    "contract": "You changed my plan without asking me, I never agreed to this",
}
ANSWERS = [
    "Sorry about this, we have found the fault and a fix is on its way",
    "Thanks for your patience, a technician is booked for tomorrow morning",
    "We have refunded the duplicate charge, it shows within 3 working days",
]
REDIRECTS = {
    "dm": "Please send us a DM with your account number so we can look into it",
    "email": "Please email us at help@example.com with your reference",
    "phone": "Please call our helpline so an agent can check your line",
}
FOLLOW_UPS = ["Any update on this?", "Still nothing. Day two.", "Hello?? Is anyone reading this?"]
# Filing rhythm: relative weight of each hour of the day, and of each weekday (Monday first).
HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 4, 5, 5, 5, 6, 6, 5, 5, 5, 6, 7, 8, 9, 8, 5, 2]
DAY_WEIGHTS = [1.3, 1.1, 1.0, 1.0, 1.0, 0.8, 0.6]


def stamp(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Scenario:
    def __init__(self, seed, start, days, cases, customers):
        self.random = random.Random(seed)
        self.seed = seed
        self.start = start
        self.days = days
        self.cases = cases
        self.customers = customers
        self.serial = 0
        # Per (customer, brand): whether the brand downgraded them, and whether they left.
        self.downgraded = {}
        self.churned = set()

    # -- time

    def filing_time(self):
        """A moment in the scenario's span drawn with the daily and weekly rhythm."""
        r = self.random
        while True:
            day = r.randrange(self.days)
            moment = self.start + day * DAY
            weekday = datetime.fromtimestamp(moment, timezone.utc).weekday()
            if r.random() * max(DAY_WEIGHTS) < DAY_WEIGHTS[weekday]:
                break
        hour = r.choices(range(24), HOUR_WEIGHTS)[0]
        return moment + hour * HOUR + r.randrange(HOUR)

    def staffed_delay(self, persona, after, minutes):
        """The moment `minutes` of the persona's staffed time have passed after `after`."""
        days, first, last = persona.hours
        moment = after
        left = minutes * 60
        while True:
            when = datetime.fromtimestamp(moment, timezone.utc)
            day_start = moment - (when.hour * HOUR + when.minute * 60 + when.second)
            open_at, close_at = day_start + first * HOUR, day_start + last * HOUR
            if when.weekday() in days and moment < close_at:
                moment = max(moment, open_at)
                if moment + left <= close_at:
                    return moment + left
                left -= close_at - moment
            moment = day_start + DAY

    # -- events

    def event(self, kind, moment, customer, brand, case=None, channel=None, data=None):
        self.serial += 1
        return event_object("scn-%d-%d" % (self.seed, self.serial), kind, stamp(moment), customer, brand.name, case,
                            channel, data, meta={"source": "scenario", "persona": brand.name})

    def relationship_events(self, customer, brand, before):
        """A downgrade without consent, days before the first complaint a downgrading brand
        gets from this customer."""
        key = (customer, brand.name)
        if key in self.downgraded:
            return []
        self.downgraded[key] = brand.downgrades > 0 and self.random.random() < brand.downgrades
        if not self.downgraded[key]:
            return []
        moment = before - self.random.randint(1, 10) * DAY - self.random.randrange(DAY)
        events = [self.event("vendor.changed_service", moment, customer, brand, data={
            "change": "downgrade", "consented": False,
            "description": "Line profile changed from 10 Mb to 6 Mb without notice"})]
        if self.random.random() < 0.45:
            self.churned.add(key)
            events.append(self.event("customer.churned", moment + self.random.uniform(2, 40) * DAY, customer, brand,
                                     data={"reason": "downgraded without consent"}))
        return events

    def case(self, number):
        r = self.random
        brand = r.choice(PERSONAS)
        customer = "cust%06d" % r.randrange(1, self.customers + 1)
        filed = self.filing_time()
        events = self.relationship_events(customer, brand, before=filed)
        case = "scn-%d-case-%s-%06d" % (self.seed, brand.name, number)
        channel = r.choice(CHANNELS)
        topic = "speed" if self.downgraded.get((customer, brand.name)) else r.choice(list(COMPLAINTS))
        events.append(self.event("complaint.filed", filed, customer, brand, case, channel, {
            "text": COMPLAINTS[topic], "topic": topic, "severity": r.choice(["low", "medium", "medium", "high"]),
            "public": channel not in ("email", "chat")}))
        if r.random() < brand.auto:
            events.append(self.event("brand.replied", filed + r.randint(5, 90), customer, brand, case, channel,
                                     {"kind": "auto", "text": "Thanks, we have received your message"}))
        answered = r.random() < brand.answered
        reply_at = self.staffed_delay(brand, filed, r.lognormvariate(math.log(brand.median_minutes), 0.8))
        # The customer's patience: follow-ups while nothing comes, then escalation or abandonment.
        moment = filed
        for attempt in range(3):
            moment += r.lognormvariate(math.log(4 * HOUR), 0.6) * (attempt + 1)
            if answered and moment >= reply_at:
                break
            if r.random() < 0.6:
                events.append(self.event("customer.followed_up", moment, customer, brand, case, channel,
                                         {"text": FOLLOW_UPS[attempt]}))
        if not answered:
            if r.random() < 0.5:
                events.append(self.event("case.escalated", moment + DAY, customer, brand, case, None,
                                         {"to": r.choice(["regulator", "social_team"]), "reason": "no answer"}))
            if r.random() < 0.6:
                events.append(self.event("case.abandoned", moment + 2 * DAY, customer, brand, case, None,
                                         {"reason": "no answer"}))
            if r.random() < 0.25 and (customer, brand.name) not in self.churned:
                self.churned.add((customer, brand.name))
                events.append(self.event("customer.churned", moment + r.uniform(3, 30) * DAY, customer, brand,
                                         data={"reason": "complaint ignored"}))
            return events
        agent = "agent%02d" % r.randrange(30)
        if r.random() < brand.redirect:
            destination = r.choice(["dm"] * 8 + ["email", "phone"])
            events.append(self.event("brand.replied", reply_at, customer, brand, case, channel, {
                "kind": "redirect", "to_channel": destination, "agent": agent, "text": REDIRECTS[destination]}))
            channel = destination
        else:
            events.append(self.event("brand.replied", reply_at, customer, brand, case, channel,
                                     {"kind": "answer", "agent": agent, "text": r.choice(ANSWERS)}))
        if r.random() >= brand.resolved:
            if r.random() < 0.5:
                events.append(self.event("case.abandoned", reply_at + r.uniform(1, 5) * DAY, customer, brand, case,
                                         None, {"reason": "gave up after the first reply"}))
            return events
        resolved_at = self.staffed_delay(brand, reply_at, r.lognormvariate(math.log(brand.resolve_hours * 60), 0.7))
        if r.random() < brand.more_replies:
            # The conversation goes on where the first reply sent it before the fix.
            events.append(self.event("brand.replied", reply_at + (resolved_at - reply_at) // 2, customer, brand, case,
                                     channel, {"kind": "answer", "agent": agent, "text": r.choice(ANSWERS)}))
        events.append(self.event("case.resolved", resolved_at, customer, brand, case, None,
                                 {"resolution": r.choice(["fixed", "fixed", "refunded", "explained"]), "by": "brand"}))
        if r.random() < brand.reopen:
            events.append(self.event("case.reopened", resolved_at + r.uniform(1, 10) * DAY, customer, brand, case,
                                     None, {"reason": "the problem came back"}))
        elif r.random() < 0.4:
            fast = resolved_at - filed < DAY
            score = r.randint(8, 10) if fast else r.randint(5, 9)
            events.append(self.event("customer.rated", resolved_at + r.uniform(1, 48) * HOUR, customer, brand, case,
                                     None, {"scale": "nps", "score": score}))
            if fast and r.random() < 0.3 and (customer, brand.name) not in self.churned:
                events.append(self.event("customer.renewed", resolved_at + r.uniform(5, 60) * DAY, customer, brand,
                                         data={}))
        return events

    def events(self):
        for number in range(1, self.cases + 1):
            yield from self.case(number)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000, help="how many complaints (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--start", default="2025-01-06", help="first day (default 2025-01-06, a Monday)")
    parser.add_argument("--days", type=int, default=120, help="days over which complaints are filed (default 120)")
    parser.add_argument("--customers", type=int, help="customer ids drawn from 1..N (default: cases / 2)")
    arguments = parser.parse_args()
    if arguments.cases < 1 or arguments.days < 1:
        parser.error("--cases and --days must be at least 1")
    start = datetime.fromisoformat(arguments.start).replace(tzinfo=timezone.utc).timestamp()
    customers = arguments.customers or max(2, arguments.cases // 2)
    scenario = Scenario(arguments.seed, int(start), arguments.days, arguments.cases, customers)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    out = sys.stdout
    for event in scenario.events():
        out.write(dumps(event))
        out.write("\n")


if __name__ == "__main__":
    main()

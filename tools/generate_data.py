"""Deterministic generator of marketing-automation + CRM exports in the raw contract.

    python -m tools.generate_data                       # the demo seeds (2,000 contacts, CSV)
    python -m tools.generate_data --contacts 1000000 --format parquet --out /data/l

Every contact is simulated on its own random stream, seeded from (--seed, contact index),
so the output does not depend on chunking and memory stays flat: contacts are processed
in chunks and each chunk is appended to every table's file (CSV rows, or one Parquet row
group per chunk) before the next one starts.

The behaviour follows a real B2B funnel (rates are drawn per contact from its engagement):
anonymous visits, CTA clicks, landing pages and form fills; phone leads from call
tracking; imported cold contacts who become prospects when they engage; newsletters with
resends to non-openers ("A bis"), machine opens (Apple MPP style), bounces, unsubscribes
and complaints; a lead score that grows with engagement and decays with inactivity; MQLs,
deals (SQLs) won or lost; lost deals recycled, re-engaged and sometimes won later;
customers who skip stages (e-shop buyers, referrals); repeat buyers, refunds and
cancellations; churned customers (contact type "ancien_client"); exact duplicate rows and
events that arrive late (opens weeks after the send, CRM points logged after the fact).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

from tools import contract

DAY = 86_400
HOUR = 3_600
MINUTE = 60

DEFAULT_SEED = 42
DEFAULT_START = dt.date(2025, 1, 1)
DEFAULT_MONTHS = 12


def _ts(day: dt.date, hour: int = 0, minute: int = 0) -> int:
    return int(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.timezone.utc)
               .timestamp())


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


# --------------------------------------------------------------------------------------
# The world every contact lives in: campaigns, emails, segments, pages, forms, assets.
# Dates are offsets from --start so that the same world works for any window.
# --------------------------------------------------------------------------------------

SEGMENTS = [
    ("seg_prospects", "Prospects"),
    ("seg_clients", "Clients"),
    ("seg_former", "Anciens clients"),
    ("seg_newsletter", "Newsletter"),
    ("seg_webinar", "Inscrits webinar"),
]

# campaign_id, name, type, audience, channel, launch day offset, end day offset (None = open)
CAMPAIGNS = [
    ("cmp_newsletter", "Newsletter mensuelle", "newsletter", "all", "email", 5, None),
    ("cmp_nurture", "Nurturing prospects", "nurturing", "prospect", "email", 12, None),
    ("cmp_ads_guide", "Google Ads - Guide ROI", "paid_search", "prospect", "ads", 33, 211),
    ("cmp_webinar", "Webinar printemps", "webinar", "prospect", "event", 68, 119),
    ("cmp_onboarding", "Onboarding clients", "onboarding", "customer", "email", 5, None),
    ("cmp_reengage", "Relance leads recycles", "reengagement", "prospect", "email", 124, None),
    ("cmp_linkedin", "LinkedIn Ads - Livre blanc", "paid_social", "prospect", "ads", 152, 303),
    ("cmp_fair", "Salon B2B automne", "trade_show", "all", "event", 257, 287),
    ("cmp_loyalty", "Fidelisation clients", "loyalty", "customer", "email", 96, None),
    ("cmp_blackfriday", "Black Friday", "promotion", "all", "email", 320, 335),
    ("cmp_seo", "SEO et contenus", "content", "all", "organic", 0, None),
    ("cmp_phone", "Numero vert tracking", "call_tracking", "prospect", "phone", 47, None),
]
CAMPAIGN_BY_ID = {c[0]: c for c in CAMPAIGNS}

# page_id, url path, page_type, campaign of the page (utm), cta ids on the page
PAGES = [
    ("pg_home", "/", "other", None, ["cta_home_demo"]),
    ("pg_pricing", "/tarifs", "other", None, ["cta_pricing_demo"]),
    ("pg_blog_roi", "/blog/calculer-roi-marketing", "content", "cmp_seo", ["cta_blog_guide"]),
    ("pg_blog_scoring", "/blog/lead-scoring", "content", "cmp_seo", ["cta_blog_webinar"]),
    ("pg_blog_kpi", "/blog/kpi-automation", "content", "cmp_seo",
     ["cta_blog_whitepaper", "cta_blog_newsletter"]),
    ("pg_lp_guide", "/lp/guide-roi", "landing_page", "cmp_ads_guide", []),
    ("pg_lp_webinar", "/lp/webinar", "landing_page", "cmp_webinar", []),
    ("pg_lp_whitepaper", "/lp/livre-blanc", "landing_page", "cmp_linkedin", []),
    ("pg_lp_demo", "/lp/demande-demo", "landing_page", None, []),
    ("pg_lp_newsletter", "/lp/newsletter", "landing_page", "cmp_newsletter", []),
]
PAGE_BY_ID = {p[0]: p for p in PAGES}
CTA_TARGET = {
    "cta_home_demo": "pg_lp_demo",
    "cta_pricing_demo": "pg_lp_demo",
    "cta_blog_guide": "pg_lp_guide",
    "cta_blog_webinar": "pg_lp_webinar",
    "cta_blog_whitepaper": "pg_lp_whitepaper",
    "cta_blog_newsletter": "pg_lp_newsletter",
}
CONTENT_PAGES = ["pg_home", "pg_pricing", "pg_blog_roi", "pg_blog_scoring", "pg_blog_kpi"]
# landing page -> form on it, asset it gives
FORMS = {
    "pg_lp_guide": ("form_guide", "asset_guide_roi"),
    "pg_lp_webinar": ("form_webinar", None),
    "pg_lp_whitepaper": ("form_whitepaper", "asset_whitepaper"),
    "pg_lp_demo": ("form_demo", None),
    "pg_lp_newsletter": ("form_newsletter", None),
}
EMAIL_ASSETS = ["asset_checklist", "asset_replay_webinar", "asset_guide_roi"]

# acquisition paths and their weights
PATHS = [
    ("form", 0.30),          # organic visitor fills a landing-page form
    ("ads", 0.14),           # paid visitor fills the campaign's landing-page form
    ("newsletter", 0.09),    # newsletter sign-up form (lead by form, not a prospect)
    ("phone", 0.08),         # inbound call on a tracked number
    ("event", 0.06),         # met at the trade show or webinar, imported by sales
    ("import", 0.17),        # cold list import: not a lead until they engage
    ("referral", 0.04),      # referred to sales, deal straight away
    ("existing", 0.06),      # customers imported from the old CRM on day 1
    ("eshop", 0.03),         # buys online without any prior signal
    ("partner", 0.03),       # partners: never leads
]


class World:
    """Fixed objects and schedules derived from the window start."""

    def __init__(self, start: dt.date, months: int):
        self.start = start
        self.months = months
        self.end_date = _add_months(start, months)
        self.t0 = _ts(start)
        self.t_end = _ts(self.end_date)
        self.month_starts = [_ts(_add_months(start, m)) for m in range(months + 1)]
        self.campaign_window = {
            cid: (self.t0 + launch * DAY + 9 * HOUR,
                  None if end is None else self.t0 + end * DAY + 18 * HOUR)
            for cid, _n, _t, _a, _c, launch, end in CAMPAIGNS
        }
        self.emails: list[tuple] = []   # rows of the emails table
        self.broadcasts: list[dict] = []  # scheduled sends to a whole audience
        self.sequences: dict[str, list[tuple[str, int]]] = {}  # email per day offset
        self._build_emails()
        self.import_days = [self.t0 + 14 * DAY + 8 * HOUR, self.t0 + 99 * DAY + 8 * HOUR,
                            self.t0 + 243 * DAY + 8 * HOUR]

    def active(self, campaign_id: str, t: int) -> bool:
        launch, end = self.campaign_window[campaign_id]
        return t >= launch and (end is None or t <= end)

    def _email(self, email_id, campaign_id, name, subject, audience, parent, created):
        self.emails.append((email_id, campaign_id, name, subject, audience, parent, created))

    def _broadcast(self, email_id, campaign_id, name, audience, send_t, resend_days=None,
                   who="all"):
        self._email(email_id, campaign_id, name, name, audience, None, send_t - 2 * DAY)
        resend_id = None
        if resend_days is not None:
            resend_id = email_id + "_bis"
            self._email(resend_id, campaign_id, name + " (relance)", "Rappel : " + name,
                        audience, email_id, send_t + resend_days * DAY - DAY)
        self.broadcasts.append({
            "email_id": email_id, "campaign_id": campaign_id, "t": send_t, "who": who,
            "resend_id": resend_id,
            "resend_t": None if resend_days is None else send_t + resend_days * DAY,
        })

    def _build_emails(self):
        # monthly newsletter on the first Tuesday, every other one resent to non-openers
        for m in range(self.months):
            first = _add_months(self.start, m)
            tuesday = first + dt.timedelta(days=(1 - first.weekday()) % 7)
            send_t = _ts(tuesday, 8, 30)
            if send_t < self.campaign_window["cmp_newsletter"][0]:
                send_t += 7 * DAY
            self._broadcast(f"em_news_{m + 1:02d}", "cmp_newsletter",
                            f"Newsletter {first:%Y-%m}", "all", send_t,
                            resend_days=4 if m % 2 == 0 else None, who="subscribers")
        # webinar invitations to prospects, with a resend
        for k, day in enumerate((70, 84)):
            self._broadcast(f"em_webinar_{k + 1}", "cmp_webinar", f"Invitation webinar {k + 1}",
                            "prospect", self.t0 + day * DAY + 9 * HOUR,
                            resend_days=3 if k == 0 else None, who="prospects")
        # trade show invitation to everyone
        self._broadcast("em_fair_invite", "cmp_fair", "Invitation salon", "all",
                        self.t0 + 258 * DAY + 10 * HOUR, who="all")
        # quarterly loyalty emails to customers
        for k, day in enumerate((97, 188, 279)):
            if day < self.months * 30:
                self._broadcast(f"em_loyalty_{k + 1}", "cmp_loyalty", f"Club clients {k + 1}",
                                "customer", self.t0 + day * DAY + 10 * HOUR, resend_days=5,
                                who="customers")
        # black friday to everyone, two waves, the first resent
        if self.months >= 11:
            self._broadcast("em_bf_1", "cmp_blackfriday", "Black Friday J-7", "all",
                            self.t0 + 321 * DAY + 7 * HOUR, resend_days=2, who="all")
            self._broadcast("em_bf_2", "cmp_blackfriday", "Black Friday J-0", "all",
                            self.t0 + 328 * DAY + 7 * HOUR, who="all")
        # automated sequences: (email, days after entry)
        created = self.t0 + 10 * DAY
        seqs = {
            "cmp_nurture": [("em_nurture_1", 1), ("em_nurture_2", 7), ("em_nurture_3", 14),
                            ("em_nurture_4", 28)],
            "cmp_onboarding": [("em_onboard_1", 0), ("em_onboard_2", 7), ("em_onboard_3", 30)],
            "cmp_reengage": [("em_reengage_1", 30), ("em_reengage_2", 60)],
        }
        audience = {"cmp_nurture": "prospect", "cmp_onboarding": "customer",
                    "cmp_reengage": "prospect"}
        for campaign_id, steps in seqs.items():
            for email_id, _day in steps:
                self._email(email_id, campaign_id, email_id.replace("_", " ").title(),
                            "Sujet " + email_id, audience[campaign_id], None, created)
        self.sequences = seqs


# --------------------------------------------------------------------------------------
# One contact's story
# --------------------------------------------------------------------------------------

class Story:
    """Rows of every table produced by one contact (and the anonymous visitors of its slot)."""

    __slots__ = ("rows", "scores", "rng", "world", "cid", "idx", "late")

    def __init__(self, world: World, idx: int, seed: int, width: int):
        self.world = world
        self.idx = idx
        self.rng = random.Random(seed * 1_000_003 + idx)
        self.cid = f"c{idx:0{width}d}"
        self.rows: dict[str, list[tuple]] = {t: [] for t in contract.tables()}
        self.scores: list[tuple[int, int, str]] = []
        self.late = 0

    # ---- small helpers -------------------------------------------------------------
    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)

    def business_time(self, day_t: int) -> int:
        """A time of day around office hours on the day of day_t (UTC)."""
        rng = self.rng
        midnight = day_t - day_t % DAY
        hour = rng.choices((6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 19, 21, 22),
                           (2, 4, 8, 10, 10, 8, 8, 10, 9, 8, 6, 4, 2, 2))[0]
        return midnight + hour * HOUR + rng.randrange(0, HOUR)

    def visit(self, t, page_id, visitor, contact_id, campaign_id=None, cta=True):
        """A page view (and maybe a CTA click); returns the time of the last event."""
        rng = self.rng
        page = PAGE_BY_ID[page_id]
        self.add("web_events", (f"w{self.idx}_{len(self.rows['web_events'])}", visitor,
                                contact_id, "page_view", page_id,
                                "https://www.example.fr" + page[1], page[2], None,
                                campaign_id or page[3], t))
        if cta and page[4] and rng.random() < 0.12:
            cta_id = rng.choice(page[4])
            t += rng.randrange(10, 240)
            self.add("web_events", (f"w{self.idx}_{len(self.rows['web_events'])}", visitor,
                                    contact_id, "cta_click", page_id,
                                    "https://www.example.fr" + page[1], page[2], cta_id,
                                    campaign_id or page[3], t))
        return t

    def score(self, t: int, delta: int, reason: str) -> None:
        self.scores.append((t, delta, reason))

    # ---- email ------------------------------------------------------------------------
    def send(self, email_id: str, campaign_id: str, t: int, engagement: float,
             opened_before: set | None = None) -> dict:
        """One send and what followed; returns its outcome."""
        rng = self.rng
        cid = self.cid
        add = self.add
        out = {"opened": None, "clicked": None, "unsub": False, "bounced": False}
        add("email_events", (email_id, cid, "sent", t, None, None))
        self.add("campaign_actions", (campaign_id, cid, "send_email", "Envoyer " + email_id,
                                      t - rng.randrange(0, 120)))
        if rng.random() < 0.004:  # a retried send logs a second 'sent' event
            add("email_events", (email_id, cid, "sent", t + rng.randrange(60, 900), None, None))
        if rng.random() < 0.022:
            add("email_events", (email_id, cid, "bounced", t + rng.randrange(5, 300), None,
                                 None))
            out["bounced"] = True
            return out
        delivered = t + rng.randrange(2, 90)
        add("email_events", (email_id, cid, "delivered", delivered, None, None))
        if rng.random() < 0.11:  # machine open by a privacy proxy, seconds after delivery
            add("email_events", (email_id, cid, "opened", delivered + rng.randrange(1, 60),
                                 None, True))
        if rng.random() < 0.12 + 0.55 * engagement:
            delay = int(rng.lognormvariate(math.log(5 * HOUR), 1.4))
            if rng.random() < 0.04:
                delay += rng.randrange(7, 40) * DAY  # opened weeks later
            opened = delivered + min(delay, 60 * DAY)
            out["opened"] = opened
            for k in range(1 + (rng.random() < 0.35) + (rng.random() < 0.1)):
                add("email_events", (email_id, cid, "opened", opened + k * rng.randrange(
                    60, 2 * DAY), None, False))
            self.score(opened, 3, "email_open")
            if rng.random() < 0.10 + 0.40 * engagement:
                clicked = opened + rng.randrange(5, 600)
                out["clicked"] = clicked
                for k in range(1 + (rng.random() < 0.25)):
                    add("email_events", (email_id, cid, "clicked", clicked + k * rng.randrange(
                        30, 3 * HOUR), f"https://www.example.fr/e/{email_id}/{k}", None))
                self.score(clicked, 12, "email_click")
            if rng.random() < 0.004:
                add("email_events", (email_id, cid, "complained", opened + 120, None, None))
                out["unsub"] = True
            elif rng.random() < 0.006 + 0.01 * (1 - engagement):
                add("email_events", (email_id, cid, "unsubscribed",
                                     opened + rng.randrange(30, 900), None, None))
                out["unsub"] = True
        elif rng.random() < 0.002:
            # unsubscribed through the list-unsubscribe header, without an open
            add("email_events", (email_id, cid, "unsubscribed", delivered + DAY, None, None))
            out["unsub"] = True
        return out


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    x = rng.random() * sum(w for _k, w in weighted)
    for key, weight in weighted:
        x -= weight
        if x < 0:
            return key
    return weighted[-1][0]


def simulate_contact(world: World, idx: int, seed: int, width: int) -> dict[str, list[tuple]]:
    s = Story(world, idx, seed, width)
    rng = s.rng
    cid = s.cid
    add = s.add
    t0, t_end = world.t0, world.t_end
    span = t_end - t0
    path = _pick(rng, PATHS)
    engagement = rng.betavariate(2.0, 5.0)
    if path in ("referral", "event", "existing"):
        engagement = min(1.0, engagement + 0.15)
    visitor = f"v{idx}"

    # anonymous visitors of this slot who never identify themselves
    for k in range(_poisson(rng, 7.5)):
        t = t0 + rng.randrange(span)
        for _ in range(1 + _poisson(rng, 1.6)):
            if t >= t_end:
                break
            t = s.visit(s.business_time(t), rng.choice(CONTENT_PAGES + ["pg_lp_guide"]),
                        f"v{idx}a{k}", None)
            t += rng.randrange(60, 3 * DAY)

    # ---- creation and lead signals -----------------------------------------------
    growth = rng.random() ** 0.8  # more contacts later in the year
    created = s.business_time(t0 + int(growth * (span - 2 * DAY)))
    contact_type = None
    lead_source = path
    source_campaign = None
    changes: list[tuple] = []  # (field, old, new, t)
    prospect_at = None          # when automation puts the contact in the Prospects segment
    nurture_at = None
    subscribed = rng.random() < 0.8
    lead_page = None

    if path in ("form", "ads", "newsletter"):
        if path == "ads":
            campaign_id = rng.choice(["cmp_ads_guide", "cmp_linkedin"])
            launch, end = world.campaign_window[campaign_id]
            created = s.business_time(launch + rng.randrange((end or t_end) - launch - DAY))
            lead_page = "pg_lp_guide" if campaign_id == "cmp_ads_guide" else "pg_lp_whitepaper"
            lead_source = "ads"
            if rng.random() < 0.7:
                source_campaign = campaign_id  # the CRM records the ad campaign
        elif path == "newsletter":
            lead_page, campaign_id = "pg_lp_newsletter", "cmp_newsletter"
            lead_source = "form"
            subscribed = True
        else:
            lead_page = rng.choice(["pg_lp_demo", "pg_lp_demo", "pg_lp_guide", "pg_lp_webinar",
                                    "pg_lp_whitepaper"])
            campaign_id = PAGE_BY_ID[lead_page][3]
            if campaign_id and not world.active(campaign_id, created):
                lead_page, campaign_id = "pg_lp_demo", None
            lead_source = "form"
        # anonymous browsing before the form, then the landing page and the form
        t = created - rng.randrange(1, 14) * DAY
        for _ in range(_poisson(rng, 1.5)):
            t = s.visit(s.business_time(t), rng.choice(CONTENT_PAGES), visitor, None) + \
                rng.randrange(HOUR, DAY)
            if t > created - HOUR:
                break
        utm = campaign_id if path == "ads" else None
        s.visit(created - rng.randrange(60, 900), lead_page, visitor, None, utm, cta=False)
        form_id, asset_id = FORMS[lead_page]
        add("form_submissions", (f"fs{idx}_0", form_id, cid, visitor, lead_page, campaign_id,
                                 created))
        s.score(created, 20, "form_submission")
        if asset_id:
            add("asset_downloads", (asset_id, cid, campaign_id, created + rng.randrange(5, 120)))
            s.score(created + 60, 15, "download")
        if campaign_id and campaign_id != "cmp_newsletter":
            add("campaign_members", (campaign_id, cid, created + rng.randrange(1, 60), None))
        if path != "newsletter":
            contact_type = "prospect"
            if rng.random() < 0.9:
                changes.append(("contact_type", None, "prospect", created + 5))
            prospect_at = created + rng.randrange(60, 600)
            nurture_at = prospect_at + rng.randrange(60, 3600)
        if lead_page == "pg_lp_webinar":
            add("segment_members", ("seg_webinar", cid, created + 30, None))
            s.score(created + DAY * 10, 25, "webinar_attended")
    elif path == "phone":
        launch = world.campaign_window["cmp_phone"][0]
        call_t = s.business_time(max(created, launch) + rng.randrange(0, 3 * DAY))
        created = call_t + rng.randrange(120, 1800)  # sales creates the contact after the call
        add("calls", (f"call{idx}_0", cid, "cmp_phone", call_t, rng.randrange(45, 1500)))
        s.score(created, 15, "inbound_call")
        contact_type = "prospect"
        changes.append(("contact_type", None, "prospect", created + 60))
        prospect_at = created + 300
        nurture_at = created + DAY
        subscribed = rng.random() < 0.5
    elif path == "event":
        campaign_id = rng.choice(["cmp_fair", "cmp_webinar"])
        launch, end = world.campaign_window[campaign_id]
        created = s.business_time(end + rng.randrange(1, 5) * DAY)
        if created >= t_end:
            created = s.business_time(launch + DAY)
        add("campaign_members", (campaign_id, cid, created + 120, None))
        contact_type = "prospect"
        if rng.random() < 0.8:
            changes.append(("contact_type", None, "prospect", created + 60))
        source_campaign = campaign_id if rng.random() < 0.5 else None
        prospect_at = created + 600
        nurture_at = created + DAY
        s.score(created, 30, "event_met")
    elif path == "import":
        created = rng.choice(world.import_days) + rng.randrange(0, 3600)
        subscribed = True
    elif path == "referral":
        contact_type = "prospect"
        changes.append(("contact_type", None, "prospect", created + 30))
        prospect_at = created + 300
        subscribed = rng.random() < 0.4
        s.score(created + 60, 40, "sales_referral")
    elif path == "existing":
        created = t0 + DAY + 7 * HOUR + rng.randrange(0, 1800)
        contact_type = "client"  # imported from the old CRM: no history rows
        subscribed = rng.random() < 0.7
        s.score(created + 60, rng.randrange(60, 180, 5), "imported_score")
    elif path == "eshop":
        subscribed = rng.random() < 0.3
    elif path == "partner":
        contact_type = "partner"
        created = world.import_days[0] + rng.randrange(0, 3600)
        subscribed = rng.random() < 0.5

    if created >= t_end:
        created = t_end - DAY
    email = f"{cid}@{rng.choice(('gmail.com', 'orange.fr', 'acme.fr', 'example.com'))}"
    if rng.random() < 0.05:
        email = "  " + email.upper() + " "  # exports keep raw casing and spaces
    if subscribed:
        add("segment_members", ("seg_newsletter", cid, created + 30, None))
        add("campaign_members", ("cmp_newsletter", cid, created + 45, None))

    # ---- engagement after creation ---------------------------------------------------
    stop_mail = t_end  # no marketing email after a bounce, an unsubscribe or a complaint
    customer_at = None
    outcomes: list[tuple[int, dict]] = []

    def mail(email_id, campaign_id, t):
        nonlocal stop_mail
        if t >= stop_mail or t >= t_end or t < created:
            return None
        out = s.send(email_id, campaign_id, t, engagement)
        outcomes.append((t, out))
        if out["bounced"] and rng.random() < 0.7:
            stop_mail = t
        if out["unsub"]:
            stop_mail = t + 1
        if out["clicked"] and rng.random() < 0.15 + 0.3 * engagement:
            s.visit(out["clicked"] + 20, rng.choice(CONTENT_PAGES), visitor, cid,
                    campaign_id)
            if rng.random() < 0.25:
                asset = rng.choice(EMAIL_ASSETS)
                add("asset_downloads", (asset, cid, campaign_id, out["clicked"] + 300))
                s.score(out["clicked"] + 300, 15, "download")
        return out

    # identified visits and downloads
    n_visits = _poisson(rng, 1.0 + 16.0 * engagement * (0.3 if path == "partner" else 1.0))
    for _ in range(n_visits):
        t = s.business_time(created + rng.randrange(max(DAY, t_end - created)))
        if t >= t_end:
            continue
        page_id = rng.choice(CONTENT_PAGES)
        s.visit(t, page_id, visitor, cid)
        for _ in range(_poisson(rng, 0.8)):  # more pages in the same session
            t += rng.randrange(20, 600)
            s.visit(t, rng.choice(CONTENT_PAGES), visitor, cid)
        if page_id == "pg_pricing":
            s.score(t, 10, "pricing_page")
        elif rng.random() < 0.5:
            s.score(t, 3, "page_view")
        if rng.random() < 0.06 and contact_type in ("prospect", None):
            # a second form: a guide or the demo request
            page = rng.choice(["pg_lp_guide", "pg_lp_demo", "pg_lp_whitepaper"])
            ft = t + rng.randrange(300, 3 * HOUR)
            s.visit(ft - 60, page, visitor, cid, cta=False)
            form_id, asset_id = FORMS[page]
            add("form_submissions", (f"fs{idx}_{len(s.rows['form_submissions'])}", form_id,
                                     cid, visitor, page, PAGE_BY_ID[page][3], ft))
            s.score(ft, 25 if page == "pg_lp_demo" else 15, "form_submission")
            if asset_id:
                add("asset_downloads", (asset_id, cid, PAGE_BY_ID[page][3], ft + 40))

    # engaged prospects explore the site in the days after they come in
    if prospect_at is not None and rng.random() < engagement * 1.5:
        for _ in range(1 + _poisson(rng, 6 * engagement)):
            t = s.business_time(prospect_at + rng.randrange(HOUR, 12 * DAY))
            if t >= t_end:
                break
            page_id = rng.choice(["pg_pricing", "pg_pricing", "pg_blog_roi", "pg_home"])
            s.visit(t, page_id, visitor, cid)
            s.score(t, 10 if page_id == "pg_pricing" else 3, "page_view")

    # nurture sequence for prospects
    if nurture_at is not None and nurture_at >= world.campaign_window["cmp_nurture"][0]:
        add("campaign_members", ("cmp_nurture", cid, nurture_at, None))
        for email_id, day in world.sequences["cmp_nurture"]:
            mail(email_id, "cmp_nurture", nurture_at + day * DAY + rng.randrange(0, HOUR))

    # cold imports engage: a click moves them to Prospects
    # broadcasts
    became_prospect_by_click = None
    for b in world.broadcasts:
        who = b["who"]
        if who == "customers":
            continue
        if who == "prospects" and contact_type != "prospect":
            continue
        if who == "subscribers" and not subscribed:
            continue
        if who == "all" and not subscribed and rng.random() < 0.6:
            continue
        out = mail(b["email_id"], b["campaign_id"], b["t"] + rng.randrange(0, 1800))
        if out is None:
            continue
        if b["resend_id"] and out["opened"] is None or (
                b["resend_id"] and out["opened"] and out["opened"] > b["resend_t"]):
            if not out["bounced"] and not out["unsub"]:
                mail(b["resend_id"], b["campaign_id"], b["resend_t"] + rng.randrange(0, 1800))
        if path == "import" and out["clicked"] and became_prospect_by_click is None:
            became_prospect_by_click = out["clicked"]

    if became_prospect_by_click is not None:
        prospect_at = became_prospect_by_click + rng.randrange(60, 900)
        add("campaign_actions", ("cmp_newsletter", cid, "change_segment",
                                 "Ajouter au segment Prospects", prospect_at - 30))
        if rng.random() < 0.5:
            contact_type = "prospect"
            changes.append(("contact_type", None, "prospect", prospect_at + 10))
        if prospect_at + DAY >= world.campaign_window["cmp_nurture"][0]:
            nurture_at = prospect_at + DAY
            add("campaign_members", ("cmp_nurture", cid, nurture_at, None))
            for email_id, day in world.sequences["cmp_nurture"]:
                mail(email_id, "cmp_nurture", nurture_at + day * DAY)

    # "a ete prospect" flag written by the nurture campaign (article 000's recipe)
    if nurture_at is not None and nurture_at < t_end:
        add("campaign_actions", ("cmp_nurture", cid, "update_contact",
                                 "A ete prospect = oui", nurture_at + 5))

    # ---- score, MQL -----------------------------------------------------------------
    # inactivity decay: -5 at each month start after a month without scored activity
    active_months = {(t - t0) * 12 // span for t, _d, _r in s.scores}
    for m in range(1, world.months):
        ms = world.month_starts[m]
        if ms > created + 30 * DAY and (m - 1) not in active_months and rng.random() < 0.7:
            s.score(ms + 2 * HOUR, -5, "inactivity")
    s.scores.sort()
    running, mql_score_at = 0, None
    for t, delta, _r in s.scores:
        running += delta
        if running >= 100 and mql_score_at is None:
            mql_score_at = t
    mql_at = mql_score_at
    if mql_at is None and contact_type == "prospect" and rng.random() < 0.03:
        # sales judged the lead hot without the score
        mql_at = s.business_time(created + rng.randrange(2, 40) * DAY)
    if mql_at is not None and mql_at < t_end:
        if rng.random() < 0.6:
            changes.append(("lifecycle_stage", None, "mql", mql_at + rng.randrange(
                0, 3) * DAY + 3600))
        add("campaign_actions", ("cmp_nurture", cid, "notify_sales", "Alerte commerciale",
                                 mql_at + 120))
    else:
        mql_at = None

    # ---- deals -----------------------------------------------------------------------
    deals: list[tuple] = []

    def open_deal(t, win_p):
        if t >= t_end:
            return None
        k = len(deals)
        amount = Decimal(rng.randrange(1500, 30000, 50))
        close_t = t + rng.randrange(10, 100) * DAY + rng.randrange(0, DAY)
        if close_t >= t_end:
            deal = (f"d{idx}_{k}", cid, t, rng.choice(("proposal", "negotiation")), amount,
                    False, False, None)
        else:
            won = rng.random() < win_p
            deal = (f"d{idx}_{k}", cid, t, "closed_won" if won else "closed_lost", amount,
                    True, won, close_t)
        deals.append(deal)
        return deal

    first_deal = None
    if path == "referral":
        first_deal = open_deal(created + rng.randrange(1, 10) * DAY, 0.55)
    elif mql_at is not None and rng.random() < 0.55:
        first_deal = open_deal(mql_at + rng.randrange(2, 30) * DAY, 0.30 + 0.3 * engagement)
    if first_deal is not None and rng.random() < 0.5:
        changes.append(("lifecycle_stage", "mql" if mql_at else None, "sql",
                        first_deal[2] + 1800))
    won_at = None
    recycled_at = None
    if first_deal is not None and first_deal[5]:
        if first_deal[6]:
            won_at = first_deal[7]
        else:
            recycled_at = first_deal[7]
            if rng.random() < 0.7:
                changes.append(("lifecycle_stage", "sql", "recycled", recycled_at + 3600))
            if recycled_at >= world.campaign_window["cmp_reengage"][0]:
                add("campaign_members", ("cmp_reengage", cid, recycled_at + DAY, None))
                for email_id, day in world.sequences["cmp_reengage"]:
                    mail(email_id, "cmp_reengage", recycled_at + day * DAY)
            # some recycled leads come back: a visit or a form, then a new deal
            if rng.random() < 0.35:
                back = s.business_time(recycled_at + rng.randrange(20, 150) * DAY)
                if back < t_end:
                    s.visit(back, "pg_pricing", visitor, cid)
                    s.score(back, 6, "pricing_page")
                    if rng.random() < 0.6:
                        second = open_deal(back + rng.randrange(3, 20) * DAY, 0.45)
                        if second is not None and second[6]:
                            won_at = second[7]

    # ---- customers and orders --------------------------------------------------------
    orders: list[tuple] = []

    def order(t, amount, status="completed"):
        if t < t_end:
            if rng.random() < 0.04:
                status = "refunded"
            elif rng.random() < 0.02:
                status = "cancelled"
            orders.append((f"o{idx}_{len(orders)}", cid, t, amount, "EUR", status))

    if path == "existing":
        customer_at = created
        add("segment_members", ("seg_clients", cid, created + 60, None))
        t = created + rng.randrange(5, 90) * DAY
        while t < t_end and rng.random() < 0.85:
            order(s.business_time(t), Decimal(rng.randrange(300, 6000, 10)))
            t += rng.randrange(40, 160) * DAY
    elif path == "eshop":
        customer_at = created
        contact_type = "client"
        changes.append(("contact_type", None, "client", created + 120))
        order(created + 30, Decimal(rng.randrange(90, 900, 10)), "completed")
        s.score(created + 40, 50, "purchase")
    elif won_at is not None:
        customer_at = won_at + rng.randrange(0, 2 * DAY)
        amount = next(d[4] for d in deals if d[7] == won_at)
        orders.append((f"o{idx}_0", cid, customer_at, amount, "EUR", "completed"))
        changes.append(("contact_type", contact_type, "client", customer_at + 3600))
        contact_type = "client"
        add("segment_members", ("seg_clients", cid, customer_at + 3700, None))
    if customer_at is not None and path != "existing":
        # repeat buyers
        t = customer_at + rng.randrange(25, 120) * DAY
        while t < t_end and rng.random() < 0.38:
            order(s.business_time(t), Decimal(rng.randrange(200, 5000, 10)))
            t += rng.randrange(30, 120) * DAY
    if customer_at is not None:
        if customer_at < t_end and path != "existing":
            add("campaign_members", ("cmp_onboarding", cid, customer_at + HOUR, None))
            for email_id, day in world.sequences["cmp_onboarding"]:
                mail(email_id, "cmp_onboarding", customer_at + day * DAY + 2 * HOUR)
        for b in world.broadcasts:
            if b["who"] == "customers" and b["t"] > customer_at:
                out = mail(b["email_id"], b["campaign_id"], b["t"] + rng.randrange(0, 1800))
                if out and out["opened"] is None and not out["bounced"] and b["resend_id"]:
                    mail(b["resend_id"], b["campaign_id"], b["resend_t"])
        if rng.random() < 0.3:
            add("campaign_members", ("cmp_loyalty", cid,
                                     max(customer_at, world.campaign_window["cmp_loyalty"][0])
                                     + DAY, None))
        # churn
        churn_t = customer_at + rng.randrange(90, 260) * DAY
        if rng.random() < 0.12 and churn_t < t_end:
            changes.append(("contact_type", "client", "ancien_client", churn_t))
            contact_type = "ancien_client"
            add("segment_members", ("seg_former", cid, churn_t + 60, None))

    # ---- segments, memberships and lifecycle rows ---------------------------------------
    if prospect_at is not None and prospect_at < t_end:
        removed = None if customer_at is None or customer_at < prospect_at else \
            customer_at + 3700
        add("segment_members", ("seg_prospects", cid, prospect_at, removed))
        add("campaign_actions", ("cmp_nurture", cid, "change_segment",
                                 "Ajouter au segment Prospects", prospect_at))
    if nurture_at is not None:
        # close the nurture membership when the contact becomes a customer
        rows = s.rows["campaign_members"]
        for k, row in enumerate(rows):
            if row[0] == "cmp_nurture" and customer_at is not None and customer_at > row[2]:
                rows[k] = (row[0], row[1], row[2], customer_at + HOUR)
    for field, old, new, t in changes:
        if t < t_end:
            add("contact_changes", (cid, field, old, new, t))
    for deal in deals:
        add("deals", deal)
        if deal[5]:
            add("calls", (f"call{idx}_{len(s.rows['calls'])}", cid, None, deal[2] + DAY,
                          rng.randrange(120, 2400)))
    for row in orders:
        add("orders", row)

    # score events: a few are logged by the CRM sync days after they happened (late rows)
    for t, delta, reason in s.scores:
        if t < t_end and t >= created - DAY:
            add("score_events", (cid, delta, reason, t))
    # exact duplicate rows from a double export
    if rng.random() < 0.02 and s.rows["email_events"]:
        s.rows["email_events"].append(rng.choice(s.rows["email_events"]))
    if rng.random() < 0.01 and s.rows["web_events"]:
        s.rows["web_events"].append(rng.choice(s.rows["web_events"]))

    add("contacts", (cid, email, created, contact_type, lead_source, source_campaign,
                     f"Societe {idx % 700}" if path not in ("eshop", "newsletter") else None,
                     rng.choice(("FR", "FR", "FR", "BE", "CH", "CA"))))
    # the export covers [start, start + months): drop what falls outside the window
    for table, key in WINDOWED:
        rows = s.rows[table]
        if any(r[key] >= t_end or r[key] < t0 for r in rows):
            s.rows[table] = [r for r in rows if t0 <= r[key] < t_end]
    for table in ("campaign_members", "segment_members"):  # not removed yet at export time
        s.rows[table] = [r if r[3] is None or r[3] < t_end else r[:3] + (None,)
                         for r in s.rows[table]]
    return s.rows


# the timestamp that dates each row of a per-contact table
WINDOWED = (("email_events", 3), ("web_events", 9), ("campaign_actions", 4),
            ("asset_downloads", 3), ("form_submissions", 6), ("campaign_members", 2),
            ("segment_members", 2), ("calls", 3), ("score_events", 3), ("orders", 2),
            ("contact_changes", 4), ("deals", 2))


def world_rows(world: World) -> dict[str, list[tuple]]:
    """Rows that do not belong to one contact: campaigns, costs, segments, emails."""
    rows: dict[str, list[tuple]] = {t: [] for t in contract.tables()}
    for cid, name, ctype, audience, channel, _launch, _end in CAMPAIGNS:
        launch, end = world.campaign_window[cid]
        rows["campaigns"].append((cid, name, ctype, audience, channel, launch, end))
    rng = random.Random(DEFAULT_SEED)
    monthly = {  # campaign -> (cost_type, low, high) per month while active
        "cmp_ads_guide": [("media", 3500, 6500), ("labor", 600, 900)],
        "cmp_linkedin": [("media", 2500, 5000), ("labor", 500, 800)],
        "cmp_newsletter": [("labor", 400, 600)],
        "cmp_nurture": [("labor", 300, 500)],
        "cmp_seo": [("labor", 1500, 2200), ("technology", 790, 790)],
        "cmp_phone": [("technology", 150, 150), ("media", 400, 900)],
        "cmp_loyalty": [("labor", 300, 500)],
        "cmp_onboarding": [("labor", 200, 300)],
        "cmp_reengage": [("labor", 200, 400)],
    }
    for m in range(world.months):
        month_t = world.month_starts[m]
        day = dt.datetime.fromtimestamp(month_t, dt.timezone.utc).date()
        for cid, items in monthly.items():
            launch, end = world.campaign_window[cid]
            if month_t + 31 * DAY < launch or (end is not None and month_t > end):
                continue
            for cost_type, low, high in items:
                amount = Decimal(rng.randrange(low * 100, high * 100 + 1)) / 100
                rows["campaign_costs"].append((cid, day, amount, cost_type))
    # one-off costs of events
    for cid, cost_type, amount, day in (("cmp_webinar", "other", "1200.00", 60),
                                        ("cmp_webinar", "labor", "2400.00", 75),
                                        ("cmp_fair", "other", "18500.00", 250),
                                        ("cmp_fair", "labor", "6200.00", 258),
                                        ("cmp_blackfriday", "media", "3900.00", 318)):
        if day < world.months * 30:
            rows["campaign_costs"].append(
                (cid, world.start + dt.timedelta(days=day), Decimal(amount), cost_type))
    rows["segments"] = list(SEGMENTS)
    rows["emails"] = list(world.emails)
    return rows


# --------------------------------------------------------------------------------------
# Sinks
# --------------------------------------------------------------------------------------

def _fmt_ts(t: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))


class CsvSink:
    """One CSV file per table; timestamps as 'YYYY-MM-DD HH:MM:SS' UTC."""

    def __init__(self, out: Path):
        self.out = out
        self.files = {}
        self.writers = {}
        self.counts = {t: 0 for t in contract.tables()}
        out.mkdir(parents=True, exist_ok=True)
        for table in contract.tables():
            f = open(out / f"{table}.csv", "w", newline="", encoding="utf-8")
            w = csv.writer(f, lineterminator="\n")
            w.writerow(contract.columns(table))
            self.files[table], self.writers[table] = f, w

    def write(self, table: str, rows: list[tuple]) -> None:
        types = list(contract.column_types(table).values())
        conv = []
        for row in rows:
            # optional columns the generator does not fill (deals.campaign_id) are empty
            row = tuple(row) + (None,) * (len(types) - len(row))
            out = []
            for value, kind in zip(row, types):
                if value is None:
                    out.append("")
                elif kind == "timestamp":
                    out.append(_fmt_ts(value))
                elif kind == "boolean":
                    out.append("true" if value else "false")
                elif kind == "decimal":
                    out.append(f"{value:.2f}")
                else:
                    out.append(str(value))
            conv.append(out)
        self.writers[table].writerows(conv)
        self.counts[table] += len(rows)

    def close(self) -> None:
        for f in self.files.values():
            f.close()


class ParquetSink:
    """One Parquet file per table, one row group per chunk of contacts."""

    def __init__(self, out: Path):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa, self.pq = pa, pq
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        arrow = {"string": pa.string(), "timestamp": pa.timestamp("us"), "date": pa.date32(),
                 "decimal": pa.decimal128(18, 2), "integer": pa.int64(), "boolean": pa.bool_()}
        self.schemas = {
            t: pa.schema([(c, arrow[k]) for c, k in contract.column_types(t).items()])
            for t in contract.tables()
        }
        self.writers = {}
        self.counts = {t: 0 for t in contract.tables()}

    def write(self, table: str, rows: list[tuple]) -> None:
        pa = self.pa
        schema = self.schemas[table]
        if table not in self.writers:
            self.writers[table] = self.pq.ParquetWriter(self.out / f"{table}.parquet", schema,
                                                        compression="zstd")
        if not rows:
            return
        rows = [tuple(row) + (None,) * (len(schema) - len(row)) for row in rows]
        cols = list(zip(*rows))
        arrays = []
        for field, values in zip(schema, cols):
            if pa.types.is_timestamp(field.type):
                values = [None if v is None else v * 1_000_000 for v in values]
                arrays.append(pa.array(values, type=pa.int64()).cast(field.type))
            else:
                arrays.append(pa.array(values, type=field.type))
        self.writers[table].write_table(pa.Table.from_arrays(arrays, schema=schema))
        self.counts[table] += len(rows)

    def close(self) -> None:
        for table in contract.tables():
            if table not in self.writers:  # an empty table still gets a file with its schema
                self.write(table, [])
            self.writers[table].close()


# --------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------

def generate(contacts: int, out: Path, fmt: str = "csv", seed: int = DEFAULT_SEED,
             start: dt.date = DEFAULT_START, months: int = DEFAULT_MONTHS,
             chunk: int = 5_000, progress=None) -> dict[str, int]:
    """Write every contract table for `contacts` contacts; return the row count per table."""
    if contacts < 1:
        raise ValueError("--contacts must be at least 1")
    world = World(start, months)
    sink = CsvSink(out) if fmt == "csv" else ParquetSink(out)
    width = max(5, len(str(contacts)))
    try:
        for table, rows in world_rows(world).items():
            if rows:
                sink.write(table, rows)
        began = time.monotonic()
        for first in range(1, contacts + 1, chunk):
            buffer: dict[str, list[tuple]] = {t: [] for t in contract.tables()}
            for idx in range(first, min(first + chunk, contacts + 1)):
                for table, rows in simulate_contact(world, idx, seed, width).items():
                    if rows:
                        buffer[table].extend(rows)
            for table, rows in buffer.items():
                if rows:
                    sink.write(table, rows)
            if progress:
                done = min(first + chunk - 1, contacts)
                rate = done / max(time.monotonic() - began, 1e-9)
                progress(f"{done:,}/{contacts:,} contacts, "
                         f"{sum(sink.counts.values()):,} rows, {rate:,.0f} contacts/s")
    finally:
        sink.close()
    return dict(sink.counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=2000, help="number of contacts")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--out", type=Path, default=Path("seeds"), help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--start", type=dt.date.fromisoformat, default=DEFAULT_START,
                        help="first day of the window (UTC)")
    parser.add_argument("--months", type=int, default=DEFAULT_MONTHS, help="window length")
    parser.add_argument("--chunk", type=int, default=5_000, help="contacts per write")
    parser.add_argument("--shape", choices=("contract", "mautic", "hubspot"),
                        default="contract",
                        help="contract: the raw contract's tables; mautic: the same data as a "
                             "Mautic database export (tools.mautic_export), CSV; hubspot: as "
                             "the tables of Fivetran's HubSpot connector (tools.hubspot_export)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.months < 1:
        parser.error("--months must be at least 1")
    say = None if args.quiet else (lambda msg: print(f"generate: {msg}", file=sys.stderr))
    began = time.monotonic()
    if args.shape in ("mautic", "hubspot"):
        import importlib
        import tempfile

        convert = importlib.import_module(f"tools.{args.shape}_export").convert
        with tempfile.TemporaryDirectory(prefix="marketing_kpis_contract_") as folder:
            generate(args.contacts, Path(folder), "csv", args.seed, args.start, args.months,
                     args.chunk, say)
            counts = convert(Path(folder), args.out)
        if not args.quiet:
            print(f"vars to build it with: {args.out / '_dbt_vars.yml'}")
        args.format = "csv (" + {"mautic": "Mautic's tables",
                                 "hubspot": "Fivetran's HubSpot tables"}[args.shape] + ")"
    else:
        counts = generate(args.contacts, args.out, args.format, args.seed, args.start,
                          args.months, args.chunk, say)
    if not args.quiet:
        for table, n in counts.items():
            print(f"  {table:<18} {n:>12,} rows")
        print(f"wrote {sum(counts.values()):,} rows to {args.out} as {args.format} in "
              f"{time.monotonic() - began:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Load the seed documents (fixtures/seeds/*.json) through the services.

The JSON shape is described in fixtures/README.md. Loading is idempotent: a partnership,
agency or plan that already exists is reused and left as it is, so running the loader twice
changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from actions import services as action_services
from actions.models import Action, Measure, ReportingPeriod
from plans import services
from plans.models import Agency, CategoryTag, Partnership, Plan, PlanSection
from plans.seeds import read_seed, seed_date, seed_number

#: Counties first, so that their districts exist before the districts' own plans.
SEED_FILES = [
    "kent-2014-17.json",
    "thanet-2015-16.json",
    "ashford-2013-14.json",
    "medway-2016-2020.json",
]


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@transaction.atomic
def load_all(*, by=None) -> LoadReport:
    """Load every seed document, counties first."""
    report = LoadReport()
    for name in SEED_FILES:
        load_document(read_seed(name), report=report, by=by)
    return report


def load_document(data: dict, *, report: LoadReport, by=None) -> Plan:
    """Load one seed document: its partnership, agencies, plan and reported progress."""
    partnership = _partnership(data["partnership"], by=by)
    for member in data.get("members", []):
        _partnership({**member, "parent": partnership.slug}, by=by)
    agencies = _agencies(data.get("agencies", []), by=by)
    plan = Plan.objects.filter(partnership=partnership, slug=data["plan"]["slug"]).first()
    if plan is not None:
        report.unchanged.append(str(plan))
        return plan
    plan = _plan(partnership, data["plan"], agencies, by=by)
    if "category_matrix" in data:
        _category_matrix(partnership, plan, data, by=by)
    for update in data.get("updates", []):
        _update(plan, update, by=by)
    report.created.append(str(plan))
    return plan


def _partnership(spec: dict, *, by) -> Partnership:
    county = Partnership.objects.filter(slug=spec["parent"]).first() if spec.get("parent") else None
    existing = Partnership.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        if county is not None and existing.county_id is None:
            return services.join_county(partnership=existing, county=county, by=by)
        return existing
    return services.create_partnership(
        slug=spec["slug"],
        name=spec["name"],
        short_name=spec["short_name"],
        kind=spec["kind"],
        county=county,
        by=by,
    )


def _agencies(specs: list[dict], *, by) -> dict[str, Agency]:
    """The file's agencies by the name the file uses, reusing any already known."""
    found: dict[str, Agency] = {}
    pending = list(specs)
    while pending:
        spec = pending.pop(0)
        if spec.get("parent") and spec["parent"] not in found:
            if not any(s["name"] == spec["parent"] for s in pending):
                found[spec["parent"]] = services.find_agency(
                    spec["parent"]
                ) or services.create_agency(name=spec["parent"], by=by)
            else:
                pending.append(spec)
                continue
        agency = services.find_agency(spec["name"])
        if agency is None and spec.get("abbreviation"):
            agency = services.find_agency(spec["abbreviation"])
        if agency is None:
            agency = services.create_agency(
                name=spec["name"],
                abbreviation=spec.get("abbreviation", ""),
                parent=found.get(spec.get("parent")),
                by=by,
            )
        found[spec["name"]] = agency
    return found


LABEL_FIELDS = {
    "priority": "priority_label",
    "issue": "issue_label",
    "action": "action_label",
    "lead": "lead_label",
    "support": "support_label",
    "measures": "measures_label",
    "evidence": "evidence_label",
    "impacts": "impacts_label",
}


def _plan(partnership, spec: dict, agencies: dict[str, Agency], *, by) -> Plan:
    labels = {LABEL_FIELDS[k]: v for k, v in spec.get("labels", {}).items() if k in LABEL_FIELDS}
    predecessor = None
    if spec.get("predecessor"):
        predecessor = Plan.objects.get(partnership=partnership, slug=spec["predecessor"])
    plan = services.create_plan(
        partnership=partnership,
        slug=spec["slug"],
        title=spec["title"],
        kind=spec["kind"],
        period_start=seed_date(spec["period_start"]),
        period_end=seed_date(spec["period_end"]),
        status=spec.get("status", Plan.Status.DRAFT),
        document_status=spec.get("document_status", ""),
        refresh=spec.get("refresh", ""),
        introduction=spec.get("introduction", ""),
        predecessor=predecessor,
        notes=spec.get("notes", ""),
        source=spec.get("source", ""),
        by=by,
        **labels,
    )
    for section in spec.get("sections", []):
        services.add_section(
            plan=plan,
            kind=section.get("kind", PlanSection.Kind.OTHER),
            number=section.get("number", ""),
            title=section.get("title", ""),
            body=section.get("body", ""),
            by=by,
        )
    priorities = {}
    for p in spec.get("priorities", []):
        priorities[p["title"]] = services.add_priority(
            plan=plan,
            title=p["title"],
            heading=p.get("heading", "") if p.get("heading") != p["title"] else "",
            kind=p.get("kind", "main"),
            lead_agency=agencies[p["lead_agency"]] if p.get("lead_agency") else None,
            lead_wording=p.get("lead_wording", ""),
            summary=p.get("summary", ""),
            evidence=p.get("evidence", ""),
            aims="\n".join(p.get("aims", [])),
            notes=p.get("notes", ""),
            narrative_position=p.get("narrative_position"),
            by=by,
        )
    for p in spec.get("priorities", []):
        priority = priorities[p["title"]]
        for tag in p.get("categories", []):
            services.tag_category(
                plan=plan,
                category=services.get_or_create_category(tag["category"], by=by),
                level=tag["level"],
                priority=priority,
                by=by,
            )
        for i in p.get("issues", []):
            issue = services.add_issue(
                priority=priority,
                ref=i.get("ref", ""),
                title=i["title"],
                description=i.get("description", ""),
                impacts=[priorities[title] for title in i.get("impacts", [])],
                by=by,
            )
            for a in i.get("actions", []):
                _action(issue, a, agencies, by=by)
    for term in spec.get("glossary", []):
        services.add_glossary_term(
            plan=plan, term=term["term"], definition=term["definition"], by=by
        )
    for contact in spec.get("contacts", []):
        services.add_contact(
            plan=plan,
            name=contact["name"],
            phone=contact.get("phone", ""),
            notes=contact.get("notes", ""),
            by=by,
        )
    for period in spec.get("reporting_periods", []):
        action_services.add_reporting_period(
            plan=plan,
            name=period["name"],
            slug=period["slug"],
            start=seed_date(period["start"]),
            end=seed_date(period["end"]),
            due=seed_date(period.get("due")),
            by=by,
        )
    if plan.status != Plan.Status.DRAFT:
        services.publish_plan(plan=plan, by=by)
    return plan


def _action(issue, spec: dict, agencies: dict[str, Agency], *, by) -> Action:
    action = action_services.add_action(
        issue=issue,
        ref=spec.get("ref", ""),
        title=spec["title"],
        lead_agency=agencies[spec["lead_agency"]] if spec.get("lead_agency") else None,
        lead_wording=spec.get("lead_wording", ""),
        support_agencies=[agencies[name] for name in spec.get("support_agencies", [])],
        support_wording=spec.get("support_wording", ""),
        target_date=seed_date(spec.get("target_date")),
        by=by,
    )
    for m in spec.get("measures", []):
        action_services.add_measure(
            action=action,
            text=m["text"],
            evidence=m.get("evidence", ""),
            is_numeric=bool(m.get("numeric")),
            target=seed_number(m.get("target")),
            unit=m.get("unit", ""),
            baseline=seed_number(m.get("baseline")),
            by=by,
        )
    return action


def _category_matrix(county, plan, data: dict, *, by) -> None:
    """The county's matrix of district priorities: tags on each district's provisional plan."""
    matrix = data["category_matrix"]
    services.add_section(
        plan=plan,
        kind=PlanSection.Kind.OTHER,
        title=matrix["title"],
        body="\n\n".join(
            part
            for part in [
                matrix.get("introduction", ""),
                "### Key\n" + "\n".join(f"- {line}" for line in matrix["key"].values()),
                matrix.get("note", ""),
            ]
            if part
        ),
        by=by,
    )
    categories = {}
    for row in matrix["rows"]:
        part_of = categories.get(row.get("part_of"))
        categories[row["category"]] = services.get_or_create_category(
            row["category"], part_of=part_of, by=by
        )
    start, end = _provisional_period(matrix["period"])
    district_plans = {}
    for member in data["members"]:
        district = Partnership.objects.get(slug=member["slug"])
        district_plans[member["slug"]] = services.create_plan(
            partnership=district,
            slug=f"{start.year}-{str(end.year)[-2:]}-provisional",
            title=matrix["plan_title"],
            kind=Plan.Kind.STRATEGIC_ASSESSMENT,
            period_start=start,
            period_end=end,
            source=f"{county.name} agenda pack, {matrix['title']}",
            by=by,
        )
    for row in matrix["rows"]:
        category = categories[row["category"]]
        services.record_category_count(
            partnership=county,
            period_label=matrix["period"],
            category=category,
            districts_count=row.get("districts_count"),
            section=row.get("section", "main"),
            source=matrix["title"],
            by=by,
        )
        for slug, level in row.get("marks", {}).items():
            services.tag_category(
                plan=district_plans[slug],
                category=category,
                level=CategoryTag.Level(level),
                by=by,
            )


def _provisional_period(label: str) -> tuple[datetime.date, datetime.date]:
    """ "2016/17" → 1 April 2016 to 31 March 2017 (the financial year)."""
    first = int(label.split("/")[0])
    return datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)


def _update(plan, spec: dict, *, by) -> None:
    action = Action.objects.get(plan=plan, ref=spec["action_ref"])
    period = None
    if spec.get("period"):
        period = ReportingPeriod.objects.get(plan=plan, slug=spec["period"])
    readings = {}
    for reading in spec.get("readings", []):
        measure = Measure.objects.get(action=action, text=reading["measure"])
        readings[measure] = seed_number(reading["value"])
    action_services.record_update(
        action=action,
        by=by,
        status=spec.get("status") or "",
        rag=spec.get("rag") or "",
        narrative=spec.get("narrative", ""),
        period=period,
        reported_on=seed_date(spec["date"]),
        readings=readings,
        reported_by=spec.get("reported_by", ""),
        source=spec.get("source", ""),
    )

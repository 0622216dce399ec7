"""The Assessment and Plan as a clinician reads it: each problem with its own plan items."""

from __future__ import annotations

from ambientnote.facts.schema import PlanItem, Problem, VisitRecord
from ambientnote.notes.compose import assessment_plan
from ambientnote.notes.layout import load_layout


def _subsection(record: VisitRecord) -> dict[str, list[str]]:
    spec = next(s for sec in load_layout("soap").sections for s in sec.subsections if s.key == "assessment_plan")
    return {sub.title: [st.text for st in sub.statements] for sub in assessment_plan(record, spec)}


def test_a_one_problem_visit_files_its_orders_under_that_problem():
    record = VisitRecord(
        problems=[Problem(name="anemia", evidence=["s9"])],
        plan=[PlanItem(kind="test", text="Order endoscopy and colonoscopy.", target="endoscopy", evidence=["s10"]),
              PlanItem(kind="return_precautions", text="Return precautions: contact the office if worse.",
                       evidence=["s11"]),
              PlanItem(kind="follow_up", text="Follow up in 3 months.", interval="3 months", evidence=["s12"])])
    shown = _subsection(record)
    assert "Order endoscopy and colonoscopy." in shown["Anemia"]
    assert shown["General"] == ["Return precautions: contact the office if worse.", "Follow up in 3 months."]

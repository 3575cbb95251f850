"""What the plans app does when something happens elsewhere."""
from .services import plan_create


def start_plan(sender, *, person, **kwargs) -> None:
    """Someone joined as a person in recovery: their plan is there from their first page."""
    plan_create(person=person)

"""The layout of the public "Airline Passenger Satisfaction" survey (the data is not shipped).

The survey rates 14 touchpoints 1–5, with 0 meaning "not applicable". This module maps those
items onto a Booking → Airport → Flight → Arrival journey. Usage::

    journey = cjm.datasets.airline_journey()
    ev = cjm.Evidence.from_survey("airline_passenger_satisfaction_train.csv.gz",
                                  items=cjm.datasets.AIRLINE_ITEMS, missing=(0,),
                                  journey=journey)
"""

from __future__ import annotations

from cjm_widgets.model.journey import Journey

__all__ = ["AIRLINE_ITEMS", "AIRLINE_STAGES", "airline_journey"]

#: stage → [(survey column = touchpoint name, channel, phase)] in journey order.
AIRLINE_STAGES: dict[str, list[tuple[str, str, str]]] = {
    "Booking": [
        ("Ease of Online booking", "web", "purchase"),
        ("Departure/Arrival time convenient", "other", "pre-purchase"),
    ],
    "Airport": [
        ("Checkin service", "in person", "post-purchase"),
        ("Gate location", "in person", "post-purchase"),
        ("Online boarding", "mobile app", "post-purchase"),
    ],
    "Flight": [
        ("Seat comfort", "in person", "post-purchase"),
        ("Leg room service", "in person", "post-purchase"),
        ("Food and drink", "in person", "post-purchase"),
        ("Inflight wifi service", "other", "post-purchase"),
        ("Inflight entertainment", "other", "post-purchase"),
        ("On-board service", "in person", "post-purchase"),
        ("Inflight service", "in person", "post-purchase"),
        ("Cleanliness", "in person", "post-purchase"),
    ],
    "Arrival": [("Baggage handling", "in person", "post-purchase")],
}

#: The 14 rating columns, each mapped to the touchpoint of the same name.
AIRLINE_ITEMS: dict[str, str] = {
    name: name for touchpoints in AIRLINE_STAGES.values() for name, _, _ in touchpoints
}


def airline_journey(title: str = "Airline passenger journey") -> Journey:
    """The Booking → Airport → Flight → Arrival journey with one touchpoint per survey item.

    Usage: ``journey = cjm.datasets.airline_journey()``
    """
    journey = Journey(title=title, scope="From booking a flight to collecting the baggage")
    with journey.batch("airline journey"):
        for stage, touchpoints in AIRLINE_STAGES.items():
            journey.add_stage(stage)
            for name, channel, phase in touchpoints:
                journey.add_touchpoint(stage, name, channel=channel, phase=phase)
    journey._history.clear()  # the layout is not the researcher's edit
    return journey

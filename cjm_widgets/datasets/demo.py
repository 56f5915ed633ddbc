"""Built-in demo data: an online grocery service's first order, made deterministically in code.

Five interviews (two families, three single-person households) and a 500-respondent survey
rating the journey's touchpoints. Nothing is downloaded; the same call always gives the same
data. Usage::

    demo = cjm.datasets.demo()
    demo.journey                      # the mapped journey (seven stages, nine touchpoints)
    demo.interviews.head()            # one row per interview turn
    demo.survey.head()                # one row per respondent, ratings 1–5, 0 = not used
    demo.survey_items                 # survey column -> touchpoint name
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.model.journey import Journey

if TYPE_CHECKING:  # the evidence layer sits above the model; imported lazily below
    from cjm_widgets.evidence import Evidence

__all__ = ["DemoData", "demo", "grocery_journey"]

SEED = 20261122

#: (stage, touchpoint, channel, phase, owner) in journey order.
TOUCHPOINTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Awareness", "Instagram ad", "social", "pre-purchase", "Marketing"),
    ("Consideration", "Price comparison", "web", "pre-purchase", "E-commerce"),
    ("Checkout", "Basket and payment", "mobile app", "purchase", "E-commerce"),
    ("Checkout", "Delivery slot picker", "mobile app", "purchase", "Logistics"),
    ("Onboarding", "Order confirmation", "email", "post-purchase", "CRM"),
    ("Usage", "Courier at the door", "in person", "post-purchase", "Logistics"),
    ("Usage", "Substitutions", "mobile app", "post-purchase", "Store operations"),
    ("Retention", "Re-order reminder", "email", "post-purchase", "CRM"),
    ("Advocacy", "Referral code", "mobile app", "post-purchase", "Marketing"),
)

#: Survey column → touchpoint, with the mean rating (1–5) per household type and the share
#: of respondents who did not use the touchpoint (answer 0 = not applicable).
SURVEY_ITEMS: dict[str, tuple[str, float, float, float]] = {
    "q_ad_relevance": ("Instagram ad", 3.4, 3.6, 0.35),
    "q_price_clarity": ("Price comparison", 3.1, 3.3, 0.10),
    "q_checkout_ease": ("Basket and payment", 2.4, 3.2, 0.02),
    "q_slot_choice": ("Delivery slot picker", 1.9, 2.9, 0.03),
    "q_confirmation": ("Order confirmation", 3.9, 3.8, 0.05),
    "q_courier": ("Courier at the door", 4.3, 4.1, 0.04),
    "q_substitutions": ("Substitutions", 2.2, 2.7, 0.30),
    "q_reminder": ("Re-order reminder", 3.3, 3.0, 0.25),
    "q_referral": ("Referral code", 3.0, 3.1, 0.60),
}

# (participant, household, age band, answers as (question, answer) pairs)
_INTERVIEWS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "P1",
        "Family",
        "35-44",
        (
            (
                "How did you first hear about the service?",
                "An ad on Instagram, in the evening when I was scrolling after the kids were "
                "asleep. It had a discount for the first order, that's what got me.",
            ),
            (
                "What did you do next?",
                "I compared prices with the shop we normally go to. Some things were cheaper, but "
                "I couldn't tell if the delivery was included.",
            ),
            (
                "Tell me about checking out.",
                "The basket was fine, but the delivery fee only appeared on the very last screen. "
                "I felt a bit tricked, honestly. I nearly closed the app.",
            ),
            (
                "And the delivery slot?",
                "Every evening slot was full for four days. With two kids and the school run I "
                "need evenings. I took a Saturday morning and hoped for the best.",
            ),
            (
                "What happened on delivery day?",
                "The courier was lovely, called ten minutes before and carried the bags in.",
            ),
            (
                "Anything missing from the order?",
                "They swapped the lactose-free milk for normal milk. My son can't drink it. "
                "Nobody asked me.",
            ),
            (
                "Would you order again?",
                "Yes, the reminder email came at the right time, Thursday evening.",
            ),
            (
                "Would you recommend it?",
                "To friends without kids maybe. The slots are the problem for families.",
            ),
        ),
    ),
    (
        "P2",
        "Single",
        "25-34",
        (
            (
                "How did you find the service?",
                "A friend sent me a referral code, so we both got ten euros.",
            ),
            (
                "How did you decide to try it?",
                "I looked at a few products, the prices looked normal. It was easy to compare.",
            ),
            (
                "How was paying?",
                "Smooth. Apple Pay, two taps. The delivery fee was a surprise but small for one "
                "person's shop.",
            ),
            (
                "How did choosing a delivery time go?",
                "I work from home so any slot is fine. I picked the next morning.",
            ),
            (
                "How was the delivery?",
                "On time, the courier was friendly. Great experience, really.",
            ),
            (
                "Anything about the products?",
                "One substitution, a different brand of pasta. Fine, I don't mind.",
            ),
            (
                "What happened after the first order?",
                "I got a reminder a week later. I've ordered three times since.",
            ),
            ("Would you recommend it?", "Already did. I passed my referral code to my sister."),
        ),
    ),
    (
        "P3",
        "Family",
        "35-44",
        (
            (
                "Where did you first see the service?",
                "Instagram. The ad showed fresh vegetables, it looked nice, but I scrolled past "
                "twice before clicking.",
            ),
            (
                "What made you click in the end?",
                "The first-order discount. Then I spent ages comparing prices because the unit "
                "prices were hidden on the product list.",
            ),
            (
                "How was the checkout?",
                "Frustrating. The delivery fee appeared at the end, the discount code field was "
                "hard to find, and the payment failed once.",
            ),
            (
                "Did you get a delivery time that suited you?",
                "No. The only evening slot was a week away. I was really annoyed; that's the "
                "whole point of delivery for us.",
            ),
            (
                "What was the confirmation like?",
                "The email was clear, with the list of items and the time window.",
            ),
            (
                "How did the delivery go?",
                "The courier was great. But three items were substituted with things we don't "
                "eat, and I only found out at the door.",
            ),
            (
                "Have you ordered again?",
                "Once, because I had already planned meals around it. I'm not sure about a third.",
            ),
            (
                "Would you tell others about it?",
                "Not yet. I would if they fixed the slots and asked before substituting.",
            ),
        ),
    ),
    (
        "P4",
        "Single",
        "55-64",
        (
            (
                "How did you hear about the service?",
                "My daughter set it up for me on the phone. I don't use Instagram.",
            ),
            (
                "How was looking at the products?",
                "The text is small, and I couldn't compare prices with my usual shop easily.",
            ),
            (
                "How was paying?",
                "I was worried about typing my card into the phone, but it went through fine. "
                "The fee at the end was a surprise.",
            ),
            (
                "How did you pick a delivery time?",
                "There were plenty of daytime slots, which suits me. Easy.",
            ),
            ("Did you get a confirmation?", "Yes, an email and a text message. Very reassuring."),
            (
                "How was the delivery itself?",
                "The young man carried everything into the kitchen. Excellent service, I was "
                "delighted.",
            ),
            (
                "What about after that?",
                "The reminder email is helpful; I order every other week now.",
            ),
            (
                "Would you recommend it?",
                "I already told two neighbours. I didn't know about the referral code.",
            ),
        ),
    ),
    (
        "P5",
        "Single",
        "18-24",
        (
            (
                "How did you first come across the service?",
                "An influencer post on Instagram with a discount code.",
            ),
            (
                "Did you compare it with other options?",
                "A bit. It's more expensive than the discount supermarket, but I don't have a car.",
            ),
            (
                "How was checking out?",
                "Confusing. The minimum order was only shown at checkout, so I had to add stuff I "
                "didn't need. Annoying.",
            ),
            (
                "And choosing when it arrives?",
                "Evening slots were gone, I took a late morning one and worked from home that day.",
            ),
            ("How was the delivery?", "Fine, quick. Nothing special."),
            (
                "Any substitutions?",
                "They replaced my oat yoghurt with a dairy one. I'm vegan. That was really "
                "disappointing.",
            ),
            (
                "Did you come back?",
                "I ignored the reminder emails for a while. Ordered again a month later.",
            ),
            (
                "Would you recommend it?",
                "Maybe, if the referral code gave more. Ten euros isn't much.",
            ),
        ),
    ),
)

#: The touchpoint each interview answer is about (question index → touchpoint name), used to
#: pre-code the demo in ``demo.coded_interviews`` (a researcher's reference coding).
_ANSWER_TOUCHPOINTS = (
    "Instagram ad",
    "Price comparison",
    "Basket and payment",
    "Delivery slot picker",
    "Courier at the door",
    "Substitutions",
    "Re-order reminder",
    "Referral code",
)


@dataclass
class DemoData:
    """The demo journey and its raw research data (see :func:`demo`)."""

    journey: Journey
    interviews: pd.DataFrame
    survey: pd.DataFrame
    survey_items: dict[str, str]
    notes: dict[str, Any] = field(default_factory=dict)

    def transcripts(self) -> dict[str, str]:
        """The interviews as transcript texts (``Interviewer:`` / ``P1:`` turns), by file name.

        Usage: ``demo.transcripts()["interview_P1.txt"]``
        """
        texts: dict[str, str] = {}
        for document, turns in self.interviews.groupby("document", sort=True):
            lines = []
            for row in turns.itertuples(index=False):
                lines.append(f"[{row.timestamp}] {row.speaker}: {row.text}")
            texts[str(document)] = "\n\n".join(lines) + "\n"
        return texts

    def write_files(self, folder: str | Path) -> dict[str, Path]:
        """Write the transcripts (.txt) and the survey (.csv) into ``folder``.

        Usage: ``demo.write_files("demo_data")``
        """
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        for name, text in self.transcripts().items():
            path = target / name
            path.write_text(text, encoding="utf-8")
            written[name] = path
        survey_path = target / "grocery_survey.csv"
        self.survey.to_csv(survey_path, index=False)
        written["grocery_survey.csv"] = survey_path
        return written

    def write_report_inputs(self, folder: str | Path) -> dict[str, Path]:
        """Write what ``cjm-widgets report`` needs into ``folder``: the journey
        (``demo.journey.json``, as saved by ``journey.save``) and the evidence as an evidence
        table (``demo_evidence.csv``, as written by ``ev.frame.to_csv``: readable column
        names, the survey ratings already tagged to their touchpoints).

        Usage: ``demo.write_report_inputs("cjm-demo")``, then, in that folder,
        ``cjm-widgets report demo.journey.json --evidence demo_evidence.csv -o report.html``
        """
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        journey_path = target / "demo.journey.json"
        self.journey.save(journey_path)
        evidence_path = target / "demo_evidence.csv"
        self.evidence().frame.to_csv(evidence_path, index=False)
        return {"demo.journey.json": journey_path, "demo_evidence.csv": evidence_path}

    def evidence(self) -> Evidence:
        """The interviews and the survey as one :class:`~cjm_widgets.Evidence` (untagged
        interview turns; survey ratings tagged to their touchpoints, 0 = not applicable).

        Usage: ``ev = demo.evidence()``
        """
        from cjm_widgets.evidence import Evidence

        turns = self.interviews
        position = turns.groupby("document", sort=False).cumcount()
        seconds = pd.to_timedelta(turns["timestamp"]).dt.total_seconds()
        interviews = Evidence(
            pd.DataFrame(
                {
                    "evidence_id": turns["document"].str.removesuffix(".txt")
                    + "#"
                    + position.astype(str),
                    "source": "interview",
                    "document": turns["document"].str.removesuffix(".txt"),
                    "participant": turns["participant"],
                    "position": position,
                    "text": turns["text"],
                    "rating": np.nan,
                    "speaker": turns["speaker"],
                    "role": turns["role"],
                    "start": seconds,
                    "end": np.nan,
                    "household": turns["household"],
                    "age_band": turns["age_band"],
                }
            ),
            meta={"reader": "demo interviews", "files": sorted(self.transcripts())},
        )
        survey = Evidence.from_survey(
            self.survey,
            items=self.survey_items,
            scale=(1, 5),
            missing=(0,),
            respondent="respondent",
            segments=["household", "age_band"],
            text_items=["comment"],
            document="grocery_survey",
            journey=self.journey,
        )
        return Evidence.concat([interviews, survey])


def grocery_journey() -> Journey:
    """The demo journey: a first online grocery order, seven stages, nine touchpoints.

    Usage: ``journey = cjm.datasets.grocery_journey()``
    """
    journey = Journey.from_template(
        "current_state",
        stages="seven_stage",
        title="First online grocery order",
        scope="From first hearing of the service to the first delivery and re-order",
        persona={
            "name": "Busy parent",
            "description": "Two children, works full time, shops on the phone in the evening.",
            "goals": ["Get the weekly shop done in ten minutes"],
            "needs": ["A delivery slot that fits the school run", "No surprises at checkout"],
            "segment": {"household": "Family"},
        },
    )
    with journey.batch("demo journey"):
        journey.rename_stage(journey.stages[2], "Checkout")
        for stage, name, channel, phase, owner in TOUCHPOINTS:
            journey.add_touchpoint(stage, name, channel=channel, phase=phase, owner=owner)
        journey.set_lane("Checkout", "actions", ["Fills the basket", "Picks a slot", "Pays"])
        journey.set_lane(
            "Checkout", "thoughts_feelings", ["Why is the delivery fee only shown now?"]
        )
        journey.add_opportunity(
            "Show delivery fee and minimum order on the product page",
            ["Basket and payment"],
            impact=5,
            effort=2,
        )
        journey.add_opportunity(
            "Reserve evening slots for families", ["Delivery slot picker"], impact=5, effort=4
        )
        journey.add_opportunity(
            "Ask before substituting (diet preferences)", ["Substitutions"], impact=4, effort=2
        )
        journey.add_opportunity("Bigger referral reward", ["Referral code"], impact=2, effort=1)
    # the demo starts with a clean history: its set-up is not the researcher's edit
    journey._history.clear()
    return journey


def _interviews() -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for participant, household, age_band, answers in _INTERVIEWS:
        document = f"interview_{participant}.txt"
        seconds = 30
        for index, (question, answer) in enumerate(answers):
            for speaker, text in (("Interviewer", question), (participant, answer)):
                rows.append(
                    {
                        "document": document,
                        "speaker": speaker,
                        "participant": participant,
                        "role": "interviewer" if speaker == "Interviewer" else "participant",
                        "text": text,
                        "timestamp": f"00:{seconds // 60:02d}:{seconds % 60:02d}",
                        "household": household,
                        "age_band": age_band,
                        "about": _ANSWER_TOUCHPOINTS[index] if speaker != "Interviewer" else "",
                    }
                )
                seconds += 20 + len(text) // 4
    return pd.DataFrame(rows)


def _survey(n: int = 500) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    household = np.where(rng.random(n) < 0.45, "Family", "Single")
    age_band = rng.choice(
        ["18-24", "25-34", "35-44", "45-54", "55-64"], size=n, p=[0.12, 0.28, 0.30, 0.18, 0.12]
    )
    data: dict[str, Any] = {
        "respondent": [f"R{i:04d}" for i in range(1, n + 1)],
        "household": household,
        "age_band": age_band,
    }
    family = household == "Family"
    for column, (_tp, mean_family, mean_single, not_used) in SURVEY_ITEMS.items():
        mean = np.where(family, mean_family, mean_single)
        raw = np.rint(rng.normal(mean, 0.9)).clip(1, 5).astype(int)
        raw[rng.random(n) < not_used] = 0
        data[column] = raw
    data["nps"] = np.rint(rng.normal(np.where(family, 6.0, 7.5), 2.0)).clip(0, 10).astype(int)
    comments = np.array(
        [
            "",
            "",
            "",
            "Evening slots are always full.",
            "Delivery fee should be visible earlier.",
            "Great courier, friendly and on time!",
            "They substituted items without asking.",
            "Easy to use app.",
            "Checkout was confusing, the minimum order surprised me.",
            "Reminder emails are useful.",
        ]
    )
    data["comment"] = comments[rng.integers(0, len(comments), size=n)]
    return pd.DataFrame(data)


def demo() -> DemoData:
    """The built-in demo: journey, interview turns and survey answers (deterministic).

    Usage: ``demo = cjm.datasets.demo()``
    """
    return DemoData(
        journey=grocery_journey(),
        interviews=_interviews(),
        survey=_survey(),
        survey_items={column: spec[0] for column, spec in SURVEY_ITEMS.items()},
        notes={
            "scale": "1 = very poor … 5 = very good; 0 = did not use it (not applicable)",
            "segments": ["household", "age_band"],
            "seed": SEED,
        },
    )

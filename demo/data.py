"""Demo issuer and one achievement per certificate tier and badge category (make run)."""

import math
from decimal import Decimal

ISSUER = {
    "slug": "laurel-training-centre",
    "name": "Laurel Training Centre",
    "url": "https://laurel.example.org",
    "email": "credentials@laurel.example.org",
    "description": "An international training centre for decent work and sustainable development.",
}

ESCO = "http://data.europa.eu/esco/skill/"

# An event whose attendees claim its badge with the event's code or QR code (open for a year from the first run).
EVENT = {
    "achievement": "future-of-work-forum",
    "name": "Future of Work Forum 2026",
    "description": "Two days of panels and workshops on the future of work, Turin. Attendees claim the forum's "
    "badge here with the code shown in the room.",
}

# slug, name, description, criteria, (tier code | category code)
ACHIEVEMENTS = [  # noqa: E501 (one achievement a line)
    (
        "social-protection-participation",
        "Social Protection Floors",
        "Participation in a two-week course on the design of national social protection floors.",
        "Attend at least 80% of the sessions of the course.",
        ("tier", "participation"),
    ),
    (
        "labour-migration-achievement",
        "Fair Labour Migration Governance",
        "A course on rights-based labour migration policy, with a summative assessment.",
        "Attend the course and pass the final assessment with at least 60%.",
        ("tier", "achievement"),
    ),
    (
        "decent-work-diploma",
        "Diploma in Decent Work and Development",
        "A programme of courses on employment policy, social dialogue and social protection.",
        "Complete the required courses of the programme and a capstone project, each with a passed assessment.",
        ("tier", "diploma"),
    ),
    (
        "green-jobs-course",
        "Green Jobs Foundations",
        "Completion of the self-paced course on green jobs and a just transition.",
        "Complete every module and its quiz.",
        ("category", "course_completion"),
    ),
    (
        "social-dialogue-competency",
        "Facilitating Social Dialogue",
        "Facilitates tripartite negotiation sessions to agreed outcomes.",
        "Facilitate a simulated tripartite negotiation observed by two assessors.",
        ("category", "competency"),
    ),
    (
        "future-of-work-forum",
        "Future of Work Forum 2026",
        "Took part in the Future of Work Forum, Turin.",
        "Attend the forum and at least two of its workshops.",
        ("category", "event"),
    ),
    (
        "alumni-network-member",
        "Alumni Network Member",
        "Member of the training centre's alumni network.",
        "Hold a certificate from the centre and join the alumni network.",
        ("category", "membership"),
    ),
    (
        "osh-workplace-application",
        "Safer Workplaces in Practice",
        "Applied occupational safety and health learning at the workplace.",
        "Submit a workplace risk assessment and an improvement plan approved by a supervisor.",
        ("category", "learning_application"),
    ),
    (
        "peer-mentor",
        "Peer Mentor",
        "Mentored new participants through a learning programme.",
        "Mentor at least three participants through a programme, with their feedback.",
        ("category", "mentoring_coaching"),
    ),
    (
        "gender-equality-community",
        "Gender Equality Community Contributor",
        "Active contributor to the gender equality community of practice.",
        "Contribute at least five resources or facilitated exchanges to the community in a year.",
        ("category", "community_of_practice"),
    ),
    (
        "learning-organisation",
        "Learning Organisation",
        "Awarded to an organisation that built a staff learning strategy with the centre.",
        "Adopt and implement an organisational learning strategy, verified by a review.",
        ("category", "organisational_development"),
    ),
    (
        "digital-skills-goal",
        "Digital Skills Goal Setter",
        "Set a personal learning goal on digital skills and a plan to reach it.",
        "Publish a learning goal and a plan in the learner's profile.",
        ("category", "interests_goals"),
    ),
]


def _hours_and_ects(min_hours, min_ects):
    """Hours and ECTS that meet the minimums and agree with each other (1 ECTS = 25 to 30 hours)."""
    ects = Decimal(min_ects) if min_ects else Decimal(2)
    if min_hours and Decimal(min_hours) > ects * 30:
        ects = Decimal(math.ceil(Decimal(min_hours) / 25))
    hours = max(ects * Decimal("27.5"), Decimal(min_hours or 0))
    return hours.quantize(Decimal("1")), ects


def definition(kind, code: str, target) -> dict:
    """Field values that satisfy the tier's or category's content requirements."""
    hours, ects = _hours_and_ects(getattr(target, "min_hours", None), getattr(target, "min_ects", None))
    fields = {
        "assessment_method": "Observed practical task and written reflection, reviewed by two assessors.",
        "evidence_required": "A short report or portfolio item showing the work.",
        "hours": hours,
        "ects_credits": ects,
        "alignments": [
            {
                "targetName": "negotiate",
                "targetUrl": ESCO + "7ca6da8b-1c8f-4a4e-9a6b-6f6a8f0e3a51",
                "targetFramework": "ESCO",
            }
        ],
        "tags": ["demo", code],
    }
    max_level = getattr(target, "max_level", 0)
    fields["level"] = min(2, max_level) if max_level else None
    required = getattr(target, "required_fields", []) or []
    fields["validity_days"] = 730 if "expiry_policy" in required else None
    return fields

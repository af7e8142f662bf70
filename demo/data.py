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


# The Centre's nine training programmes (slug, name, description). The brief names their number, not the names:
# these are the Centre's technical programmes as it presents them publicly.
PROGRAMMES = [
    ("employers-activities", "Employers' Activities",
     "Training for employer and business membership organisations."),
    ("workers-activities", "Workers' Activities",
     "Training for trade unions and workers' organisations."),
    ("employment-policy", "Employment Policy and Analysis",
     "Employment policies, labour market information and the future of work."),
    ("enterprises", "Enterprise Development",
     "Sustainable enterprises, entrepreneurship, cooperatives and value chains."),
    ("standards-rights-gender", "International Labour Standards, Rights at Work and Gender Equality",
     "Labour standards, fundamental rights at work, labour migration and gender equality."),
    ("social-protection", "Social Protection, Governance and Tripartism",
     "Social protection floors, social dialogue, labour administration and occupational safety."),
    ("sustainable-development", "Sustainable Development",
     "Green jobs, a just transition and partnerships for the 2030 Agenda."),
    ("learning-innovation", "Learning Innovation",
     "Digital learning, learning organisations and new ways of developing capacity."),
    ("turin-school", "Turin School of Development",
     "Master's programmes and postgraduate diplomas with the University of Turin."),
]  # fmt: skip

# achievement slug → programme slug (achievements assigned once, when they have none)
ACHIEVEMENT_PROGRAMMES = {
    "social-protection-participation": "social-protection",
    "social-dialogue-competency": "social-protection",
    "labour-migration-achievement": "standards-rights-gender",
    "gender-equality-community": "standards-rights-gender",
    "decent-work-diploma": "turin-school",
    "alumni-network-member": "turin-school",
    "green-jobs-course": "sustainable-development",
    "future-of-work-forum": "employment-policy",
    "osh-workplace-application": "workers-activities",
    "peer-mentor": "enterprises",
    "learning-organisation": "learning-innovation",
    "digital-skills-goal": "learning-innovation",
}

# One community for a couple of programmes: (slug, name, programme slug, membership achievement slug, join mode,
# renewal mode, description, how to join). The demo learner joins the open one.
COMMUNITIES = [
    ("turin-alumni", "Turin School Alumni Network", "turin-school", "alumni-network-member", "open", "confirm",
     "Graduates of the Turin School of Development's master's programmes: a mailing list, yearly meetings and "
     "mentoring of new students.",
     "Graduates join by themselves with a few words about their work today. Membership is renewed every two "
     "years."),
    ("gender-equality-practitioners", "Gender Equality Practitioners", "standards-rights-gender",
     "gender-equality-community", "application", "review",
     "Practitioners who mainstream gender equality in labour policy share cases, tools and advice.",
     "Apply with a short note on your gender equality work; the community's managers review each application."),
]  # fmt: skip

# Demo staff of one programme, one per role: (role, email, password)
STAFF_PROGRAMME = "social-protection"
PROGRAMME_STAFF = [
    ("manager", "manager@example.org", "laurel-demo-manager"),
    ("issuer", "issuer@example.org", "laurel-demo-issuer"),
    ("viewer", "viewer@example.org", "laurel-demo-viewer"),
]

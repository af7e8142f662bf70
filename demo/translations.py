# ruff: noqa: E501 (one text a line: long sentences)
"""French and Spanish texts of the demo data (issue 15.2): the achievements, the nine programmes and the event.

Written for readers of each language (terms: docs/translation-glossary.md). Each achievement is translated in
full (with the assessment method and evidence every demo achievement states), so a French or Spanish recipient's
credential is signed in their language."""

# What data.definition() states for every achievement, translated.
DEFINITION = {
    "fr": {
        "assessment_method": "Tâche pratique observée et réflexion écrite, examinées par deux évaluateurs.",
        "evidence_required": "Un court rapport ou un élément de portfolio qui montre le travail réalisé."
    },
    "es": {
        "assessment_method": "Tarea práctica observada y reflexión escrita, revisadas por dos evaluadores.",
        "evidence_required": "Un breve informe o un elemento de portafolio que muestre el trabajo realizado."
    }
}  # fmt: skip

# achievement slug → {language: {name, description, criteria_narrative}}
ACHIEVEMENTS = {
    "social-protection-participation": {
        "fr": {
            "name": "Socles de protection sociale",
            "description": "Participation à un cours de deux semaines sur la conception des socles nationaux de protection sociale.",
            "criteria_narrative": "Assister à au moins 80 % des séances du cours."
        },
        "es": {
            "name": "Pisos de protección social",
            "description": "Participación en un curso de dos semanas sobre el diseño de pisos nacionales de protección social.",
            "criteria_narrative": "Asistir al menos al 80 % de las sesiones del curso."
        }
    },
    "labour-migration-achievement": {
        "fr": {
            "name": "Gouvernance équitable des migrations de main-d’œuvre",
            "description": "Un cours sur les politiques de migration de main-d’œuvre fondées sur les droits, avec une évaluation sommative.",
            "criteria_narrative": "Suivre le cours et réussir l’évaluation finale avec au moins 60 %."
        },
        "es": {
            "name": "Gobernanza equitativa de la migración laboral",
            "description": "Un curso sobre políticas de migración laboral basadas en los derechos, con una evaluación sumativa.",
            "criteria_narrative": "Seguir el curso y superar la evaluación final con al menos un 60 %."
        }
    },
    "decent-work-diploma": {
        "fr": {
            "name": "Diplôme en travail décent et développement",
            "description": "Un programme de cours sur les politiques de l’emploi, le dialogue social et la protection sociale.",
            "criteria_narrative": "Réussir les cours requis du programme et un projet de synthèse, chacun assorti d’une évaluation réussie."
        },
        "es": {
            "name": "Diploma en trabajo decente y desarrollo",
            "description": "Un programa de cursos sobre políticas de empleo, diálogo social y protección social.",
            "criteria_narrative": "Completar los cursos obligatorios del programa y un proyecto final, cada uno con una evaluación aprobada."
        }
    },
    "green-jobs-course": {
        "fr": {
            "name": "Les fondamentaux des emplois verts",
            "description": "Achèvement du cours en autoformation sur les emplois verts et la transition juste.",
            "criteria_narrative": "Terminer chaque module et son questionnaire."
        },
        "es": {
            "name": "Fundamentos de los empleos verdes",
            "description": "Finalización del curso de autoaprendizaje sobre empleos verdes y transición justa.",
            "criteria_narrative": "Completar todos los módulos y sus cuestionarios."
        }
    },
    "social-dialogue-competency": {
        "fr": {
            "name": "Faciliter le dialogue social",
            "description": "Anime des séances de négociation tripartite jusqu’à des résultats convenus.",
            "criteria_narrative": "Animer une négociation tripartite simulée, observée par deux évaluateurs."
        },
        "es": {
            "name": "Facilitación del diálogo social",
            "description": "Facilita sesiones de negociación tripartita hasta alcanzar resultados acordados.",
            "criteria_narrative": "Facilitar una negociación tripartita simulada, observada por dos evaluadores."
        }
    },
    "future-of-work-forum": {
        "fr": {
            "name": "Forum sur l’avenir du travail 2026",
            "description": "A participé au Forum sur l’avenir du travail, à Turin.",
            "criteria_narrative": "Assister au forum et à au moins deux de ses ateliers."
        },
        "es": {
            "name": "Foro sobre el futuro del trabajo 2026",
            "description": "Participó en el Foro sobre el futuro del trabajo, en Turín.",
            "criteria_narrative": "Asistir al foro y al menos a dos de sus talleres."
        }
    },
    "alumni-network-member": {
        "fr": {
            "name": "Membre du réseau des anciens",
            "description": "Membre du réseau des anciens du centre de formation.",
            "criteria_narrative": "Être titulaire d’un certificat du centre et rejoindre le réseau des anciens."
        },
        "es": {
            "name": "Miembro de la red de exalumnos",
            "description": "Miembro de la red de exalumnos del centro de formación.",
            "criteria_narrative": "Tener un certificado del centro y unirse a la red de exalumnos."
        }
    },
    "osh-workplace-application": {
        "fr": {
            "name": "Des lieux de travail plus sûrs, en pratique",
            "description": "A appliqué sur son lieu de travail ses acquis en sécurité et santé au travail.",
            "criteria_narrative": "Soumettre une évaluation des risques du lieu de travail et un plan d’amélioration approuvés par un supérieur."
        },
        "es": {
            "name": "Lugares de trabajo más seguros en la práctica",
            "description": "Aplicó en su lugar de trabajo lo aprendido sobre seguridad y salud en el trabajo.",
            "criteria_narrative": "Presentar una evaluación de riesgos del lugar de trabajo y un plan de mejora aprobados por un supervisor."
        }
    },
    "peer-mentor": {
        "fr": {
            "name": "Pair mentor",
            "description": "A accompagné de nouveaux participants tout au long d’un programme de formation.",
            "criteria_narrative": "Accompagner au moins trois participants tout au long d’un programme, avec leurs retours."
        },
        "es": {
            "name": "Mentor entre pares",
            "description": "Acompañó a nuevos participantes a lo largo de un programa de aprendizaje.",
            "criteria_narrative": "Acompañar al menos a tres participantes a lo largo de un programa, con sus comentarios."
        }
    },
    "gender-equality-community": {
        "fr": {
            "name": "Contribution à la communauté pour l’égalité de genre",
            "description": "Contribue activement à la communauté de pratique sur l’égalité de genre.",
            "criteria_narrative": "Apporter à la communauté au moins cinq ressources ou échanges animés en un an."
        },
        "es": {
            "name": "Contribución a la comunidad por la igualdad de género",
            "description": "Contribuye activamente a la comunidad de práctica sobre igualdad de género.",
            "criteria_narrative": "Aportar a la comunidad al menos cinco recursos o intercambios dinamizados en un año."
        }
    },
    "learning-organisation": {
        "fr": {
            "name": "Organisation apprenante",
            "description": "Décerné à une organisation qui a élaboré avec le centre une stratégie d’apprentissage pour son personnel.",
            "criteria_narrative": "Adopter et mettre en œuvre une stratégie d’apprentissage organisationnel, vérifiée par un examen."
        },
        "es": {
            "name": "Organización que aprende",
            "description": "Se otorga a una organización que ha elaborado con el centro una estrategia de aprendizaje para su personal.",
            "criteria_narrative": "Adoptar y aplicar una estrategia de aprendizaje organizacional, verificada mediante una revisión."
        }
    },
    "digital-skills-goal": {
        "fr": {
            "name": "Objectif compétences numériques",
            "description": "S’est fixé un objectif d’apprentissage personnel en compétences numériques et un plan pour l’atteindre.",
            "criteria_narrative": "Publier un objectif et un plan d’apprentissage dans son profil d’apprenant."
        },
        "es": {
            "name": "Objetivo de competencias digitales",
            "description": "Se fijó un objetivo personal de aprendizaje en competencias digitales y un plan para alcanzarlo.",
            "criteria_narrative": "Publicar un objetivo y un plan de aprendizaje en su perfil de participante."
        }
    }
}  # fmt: skip

# programme slug → {language: {name, description}}
PROGRAMMES = {
    "employers-activities": {
        "fr": {
            "name": "Activités pour les employeurs",
            "description": "Formation destinée aux organisations d’employeurs et aux organisations professionnelles d’entreprises."
        },
        "es": {
            "name": "Actividades para los Empleadores",
            "description": "Formación para las organizaciones de empleadores y las organizaciones empresariales."
        }
    },
    "workers-activities": {
        "fr": {
            "name": "Activités pour les travailleurs",
            "description": "Formation destinée aux syndicats et aux organisations de travailleurs."
        },
        "es": {
            "name": "Actividades para los Trabajadores",
            "description": "Formación para los sindicatos y las organizaciones de trabajadores."
        }
    },
    "employment-policy": {
        "fr": {
            "name": "Politiques et analyse de l’emploi",
            "description": "Politiques de l’emploi, information sur le marché du travail et avenir du travail."
        },
        "es": {
            "name": "Políticas y análisis del empleo",
            "description": "Políticas de empleo, información sobre el mercado de trabajo y futuro del trabajo."
        }
    },
    "enterprises": {
        "fr": {
            "name": "Développement de l’entreprise",
            "description": "Entreprises durables, entrepreneuriat, coopératives et chaînes de valeur."
        },
        "es": {
            "name": "Desarrollo empresarial",
            "description": "Empresas sostenibles, emprendimiento, cooperativas y cadenas de valor."
        }
    },
    "standards-rights-gender": {
        "fr": {
            "name": "Normes internationales du travail, droits au travail et égalité de genre",
            "description": "Normes du travail, droits fondamentaux au travail, migrations de main-d’œuvre et égalité de genre."
        },
        "es": {
            "name": "Normas internacionales del trabajo, derechos en el trabajo e igualdad de género",
            "description": "Normas del trabajo, derechos fundamentales en el trabajo, migración laboral e igualdad de género."
        }
    },
    "social-protection": {
        "fr": {
            "name": "Protection sociale, gouvernance et tripartisme",
            "description": "Socles de protection sociale, dialogue social, administration du travail et sécurité au travail."
        },
        "es": {
            "name": "Protección social, gobernanza y tripartismo",
            "description": "Pisos de protección social, diálogo social, administración del trabajo y seguridad en el trabajo."
        }
    },
    "sustainable-development": {
        "fr": {
            "name": "Développement durable",
            "description": "Emplois verts, transition juste et partenariats pour le Programme 2030."
        },
        "es": {
            "name": "Desarrollo sostenible",
            "description": "Empleos verdes, transición justa y alianzas para la Agenda 2030."
        }
    },
    "learning-innovation": {
        "fr": {
            "name": "Innovation dans l’apprentissage",
            "description": "Apprentissage numérique, organisations apprenantes et nouvelles manières de renforcer les capacités."
        },
        "es": {
            "name": "Innovación en el aprendizaje",
            "description": "Aprendizaje digital, organizaciones que aprenden y nuevas formas de desarrollar capacidades."
        }
    },
    "turin-school": {
        "fr": {
            "name": "École de développement de Turin",
            "description": "Masters et diplômes de troisième cycle avec l’Université de Turin."
        },
        "es": {
            "name": "Escuela de Desarrollo de Turín",
            "description": "Másteres y diplomas de posgrado con la Universidad de Turín."
        }
    }
}  # fmt: skip

EVENT = {
    "fr": {
        "name": "Forum sur l’avenir du travail 2026",
        "description": "Deux jours de tables rondes et d’ateliers sur l’avenir du travail, à Turin. Les participants obtiennent ici le badge du forum avec le code affiché dans la salle."
    },
    "es": {
        "name": "Foro sobre el futuro del trabajo 2026",
        "description": "Dos días de mesas redondas y talleres sobre el futuro del trabajo, en Turín. Los asistentes obtienen aquí la insignia del foro con el código que se muestra en la sala."
    }
}  # fmt: skip

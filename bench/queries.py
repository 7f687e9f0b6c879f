"""The documents the benchmarks send."""

VIEWER_DOSSIERS = """
query ViewerDossiers {
  viewer {
    id identifiant
    dossiers(first: 3) {
      edges { node {
        id name civilite nom prenom adresse postalCode phoneMobile { national } email emailConfirmed
        commune { inseeCode name }
        agency { name }
        capabilities { canApplyOnline { allowed reason } canSubscribeToOffers { allowed reason } }
      } }
    }
  }
}
"""

# ~100 resolved fields with no database work: ten communes of 22200, ten fields each.
HUNDRED_FIELDS = """
query Communes {
  communes(postalCode: "22200") {
    inseeCode name postalCode libelleAcheminement latitude longitude
    departement { code name } region { code name }
  }
}
"""

VIEWER_DASHBOARD = """
query ViewerDashboard {
  viewer {
    dashboard {
      lastVisitAt
      newSinceLastVisit { dossiers account messages proposals applications savedOffers alerts cvs }
      actions { code message }
      events(first: 20) { edges { node { id kind service occurredAt message } } }
    }
  }
}
"""

# Issue 5's full dashboard: depth 9, every list paginated; with issue 13's « Mes actions »
# and « Mon dossier de demandeur d'emploi » (FULL_DASHBOARD_BEFORE: as before them).
FULL_DASHBOARD = """
query FullDashboard {
  viewer {
    id identifiant
    dossiers(first: 5) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        id name
        cvs(first: 5) { edges { node { id title visibility completeness { score } } } }
        alerts(first: 5) { edges { node { id name status } } }
      } }
    }
    applications(first: 10) {
      pageInfo { hasNextPage endCursor }
      edges { node { id status submittedAt offer { id intitule } } }
    }
    dashboard {
      lastVisitAt
      newSinceLastVisit { dossiers account messages proposals applications savedOffers alerts cvs }
      unreadMessages
      pendingProposals
      events(first: 20) { edges { node { id kind message occurredAt } } }
      actions { code message dossierId subjectId }
      unemploymentFile {
        declarationState windowSentence declarationSentence window { period declared }
        lastActualisation { number } lastActualisationSentence
        lastPayment { paidOn amount { formatted } } lastPaymentSentence
        unreadLetters nextAppointment { id theme status } nextAppointmentSentence
      }
    }
  }
}
"""

_FILE_PARTS = FULL_DASHBOARD[
    FULL_DASHBOARD.index("      actions {") : FULL_DASHBOARD.index("    }\n  }\n}")
]
FULL_DASHBOARD_BEFORE = FULL_DASHBOARD.replace(_FILE_PARTS, "")

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

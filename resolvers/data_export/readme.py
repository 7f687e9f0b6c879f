"""The archive's ``LISEZMOI.md`` (French): what each file holds, field by field, what is
left out and why. Built from the same declarations as the archive, so it cannot drift."""

from __future__ import annotations

from functools import cache

from resolvers.data_export.collect import exported_columns, omitted, table_of
from resolvers.data_export.excluded import EXCLUDED
from resolvers.data_export.glossary import GLOSSARY
from resolvers.data_export.parts import DOMAINS

INTRO = """# Vos données — Espace Candidat

Cette archive contient tout ce que l'Espace Candidat conserve à votre sujet, au moment où
elle a été préparée (droit d'accès et droit à la portabilité, articles 15 et 20 du RGPD).

- `donnees/` : un document JSON par domaine. Chaque document a un `titre` et des `tables` ;
  chaque table est une liste de lignes (un objet JSON par ligne). Les dates sont en UTC
  (ISO 8601), les montants en centimes d'euro quand le champ finit par `_cents`.
- `fichiers/` : vos fichiers (CV, pièces jointes, justificatifs) et les PDF de vos
  courriers, attestations et récépissés d'actualisation. Le champ `fichier` d'une ligne
  donne le chemin de son fichier dans l'archive.
- `mails/` : les e-mails qui vous ont été envoyés, au format `.eml` (lisible par tout
  logiciel de messagerie).
"""


KINDS = {
    "string": "texte",
    "text": "texte",
    "integer": "nombre entier",
    "big_integer": "nombre entier",
    "small_integer": "nombre entier",
    "type_decorator": "date et heure UTC",
    "datetime": "date et heure UTC",
    "date": "date",
    "boolean": "vrai ou faux",
    "JSON": "objet JSON",
    "numeric": "nombre décimal",
    "float": "nombre décimal",
}


def _field_line(table: str, column: str, extra: dict[str, str]) -> str:
    visit = table_of(table).c[column].type.__visit_name__
    text = extra.get(column) or GLOSSARY.get(column) or "(voir la description de la table)"
    return f"- `{column}` ({KINDS.get(visit, 'valeur')}) : {text}"


@cache
def readme() -> str:
    lines = [INTRO]
    for domain in DOMAINS:
        lines.append(f"## `donnees/{domain.file}` — {domain.title}\n")
        for part in domain.tables:
            lines.append(f"### Table `{part.table}`\n\n{part.about}\n")
            lines.extend(
                _field_line(part.table, c, dict(part.fields)) for c in exported_columns(part)
            )
            if part.files is not None:
                lines.append(
                    f"- `fichier` : chemin du fichier dans l'archive (`{part.files.folder}/`)"
                )
            left_out = omitted(part)
            if left_out:
                lines.append("\nChamps non communiqués :\n")
                lines.extend(f"- `{name}` : {why}" for name, why in left_out.items())
            lines.append("")
    lines.append("## Ce qui n'est pas dans l'archive\n")
    lines.extend(f"- `{table}` : {why}" for table, why in sorted(EXCLUDED.items()))
    lines.append("")
    return "\n".join(lines)

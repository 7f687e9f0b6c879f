"""What an upload must be to be accepted (``check_pdf``); where files are kept is
``ground.storage``."""

from __future__ import annotations

from resolvers.core.errors import DomainError, ErrorCode

PDF_TYPE = "application/pdf"
PDF_MAGIC = b"%PDF-"
PDF_EOF = b"%%EOF"
EOF_WINDOW = 1024  # "%%EOF" must be among the last bytes (a few trailing newlines are usual)


def check_pdf(data: bytes, max_bytes: int, field: str) -> None:
    """Refuse anything but a PDF of at most ``max_bytes``, judged by its content (never by
    its name or declared type): FILE_EMPTY, FILE_TOO_LARGE or NOT_PDF on ``field``."""
    if not data:
        raise DomainError.single(field, ErrorCode.FILE_EMPTY, "Le fichier est vide.")
    if len(data) > max_bytes:
        raise DomainError.single(
            field,
            ErrorCode.FILE_TOO_LARGE,
            f"Le fichier dépasse la taille maximale autorisée ({_size_label(max_bytes)}).",
        )
    if not data.startswith(PDF_MAGIC) or PDF_EOF not in data[-EOF_WINDOW:]:
        raise DomainError.single(
            field, ErrorCode.NOT_PDF, "Le fichier n'est pas un document PDF valide."
        )


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} Mio"
    if size >= 1024:
        return f"{size / 1024:.3g} Kio"
    return f"{size} octets"


JPEG_TYPE = "image/jpeg"
JPEG_MAGIC = b"\xff\xd8\xff"
JPEG_END = b"\xff\xd9"


def check_pdf_or_jpeg(data: bytes, max_bytes: int, field: str) -> str:
    """Accept a PDF or a JPEG of at most ``max_bytes``, judged by its content; returns its
    content type. FILE_EMPTY, FILE_TOO_LARGE or NOT_PDF_OR_JPEG on ``field``."""
    if data.startswith(JPEG_MAGIC):
        check_size(data, max_bytes, field)
        if JPEG_END in data[-EOF_WINDOW:]:
            return JPEG_TYPE
    elif data.startswith(PDF_MAGIC):
        check_pdf(data, max_bytes, field)
        return PDF_TYPE
    check_size(data, max_bytes, field)
    raise DomainError.single(
        field, ErrorCode.NOT_PDF_OR_JPEG, "Le fichier n'est ni un PDF ni une image JPEG valide."
    )


def check_size(data: bytes, max_bytes: int, field: str) -> None:
    """FILE_EMPTY or FILE_TOO_LARGE on ``field``."""
    if not data:
        raise DomainError.single(field, ErrorCode.FILE_EMPTY, "Le fichier est vide.")
    if len(data) > max_bytes:
        raise DomainError.single(
            field,
            ErrorCode.FILE_TOO_LARGE,
            f"Le fichier dépasse la taille maximale autorisée ({_size_label(max_bytes)}).",
        )

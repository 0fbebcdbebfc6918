"""A certificate of attendance as a PDF, drawn with fpdf2: no browser needed.

The fonts are vendored beside this file (fonts/, with their licences) so that every host
draws the same certificate: DejaVu Sans for Latin, Greek and Cyrillic names ("Zoë
Ngozi-Ó Briain", "Łukasz"), and Droid Sans Fallback for the Chinese, Japanese and Korean
letters DejaVu lacks ("渡辺"). The fallback is large, so it is loaded only for a certificate
that needs it. Each font is embedded as a subset, so a certificate stays small.
"""

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
FALLBACK = "DroidSansFallback"

ACCENT = (27, 94, 75)  # the site's accent colour
INK = (29, 29, 31)
MUTED = (74, 74, 79)


class CertificatePDF(FPDF):
    def __init__(self):
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(20, 20, 20)
        self.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")

    def use_fallback_for(self, text):
        """Load the fallback font when `text` has letters the main font lacks."""
        covered = self.fonts[FAMILY.lower()].cmap
        if all(ord(character) in covered for character in text if not character.isspace()):
            return
        self.add_font(FALLBACK, "", FONTS / "DroidSansFallbackFull.ttf")
        # Bold text falls back to the regular face: the fallback has no bold.
        self.set_fallback_fonts([FALLBACK], exact_match=False)

    def centred(self, text, *, size, bold=False, colour=INK, space_after=2):
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(space_after)


def certificate_pdf(text, *, title, author):
    """The PDF bytes of a certificate saying `text` (a CertificateText)."""
    pdf = CertificatePDF()
    pdf.use_fallback_for("".join(text.lines()))
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_lang("en-GB")
    pdf.set_creator("coproseries")
    pdf.add_page()
    # A frame in the site's accent colour.
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(32)
    pdf.centred(text.series, size=13, colour=MUTED, space_after=8)
    pdf.centred("Certificate of attendance", size=30, bold=True, colour=ACCENT, space_after=10)
    pdf.centred("This certifies that", size=14)
    pdf.centred(text.name, size=24, bold=True, space_after=4)
    pdf.centred("attended the seminar", size=14)
    pdf.centred(text.seminar, size=18, bold=True, space_after=4)
    pdf.centred(text.dates, size=13)
    pdf.centred(text.where, size=13, space_after=8)
    pdf.centred(text.cpd, size=15, bold=True)
    pdf.centred(text.cpd_basis, size=11, colour=MUTED, space_after=10)
    pdf.centred(text.issued, size=11, colour=MUTED)
    return bytes(pdf.output())

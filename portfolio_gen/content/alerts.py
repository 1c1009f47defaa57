"""GitHub's alerts (``> [!NOTE]``): their kinds and English titles.

The titles are theme strings: a build passes their translations to the
renderer (``ReadSettings.alert_titles``), so an alert reads "Nota" on a
Spanish site. Kept apart from the renderer so a build can name them without
importing it.
"""

ALERTS = {"NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "WARNING": "Warning",
          "CAUTION": "Caution"}  # fmt: skip
HEADING_LINK = "Link to this section"  # the title of a heading's "#" link, a theme string too
RENDERER_STRINGS = (*ALERTS.values(), HEADING_LINK)  # what a build translates for the renderer

"""Media as sources show them: the domain below content/ and site/.

- ``reading``: what a source's pictures, players and embeds are (MediaReader,
  used by content/projects.py), and the file policy (kinds, size, withheld).
- ``pictures``: the Picture record read records hold, its markup, the image cache.
- ``images``: probing (format and size from the header) and processing with
  Pillow (imported only when an image is probed or made).

Publishing the files into the site is site/media.py's.
"""

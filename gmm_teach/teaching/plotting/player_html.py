"""A player as HTML that runs in any browser, with no kernel and no network
(chapters 1, 5 and 6).

:func:`to_html` embeds every frame of an animation as a PNG reduced to a
palette, draws the play buttons with plain characters instead of a web font,
fits the player to its column and describes it for screen readers.
"""

import base64
import io
import re
from html import escape

import matplotlib.pyplot as plt
from matplotlib.animation import Animation

from gmm_teach.teaching.plotting.style import PLAYER_COLORS, PLAYER_CSS_DPI

# CDN: offline they would be blank. Plain characters need no font file and no
# network, in the book and in Jupyter.
_BUTTON_GLYPHS = {
    "fa fa-minus": "\u2212",
    "fa fa-fast-backward": "\u21e4",
    "fa fa-step-backward": "|\u25c0",
    "fa fa-play fa-flip-horizontal": "\u25c0",
    "fa fa-pause": "\u275a\u275a",
    "fa fa-play": "\u25b6",
    "fa fa-step-forward": "\u25b6|",
    "fa fa-fast-forward": "\u21e5",
    "fa fa-plus": "+",
}
_FONT_AWESOME_LINK = re.compile(
    r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">'
)
_ICON = re.compile(r'<i class="([^"]+)"></i>')


def _offline_buttons(html):
    """to_jshtml's HTML without the CDN stylesheet, its icons replaced by
    characters."""
    html = _FONT_AWESOME_LINK.sub("", html)
    return _ICON.sub(lambda match: _BUTTON_GLYPHS[match.group(1)], html)


_FRAME = re.compile(r'"data:image/png;base64,([A-Za-z0-9+/=\\\n]*)"')


def _lighter_frames(html):
    """to_jshtml's HTML with every embedded PNG frame reduced to a palette of
    PLAYER_COLORS."""
    from PIL import Image  # a dependency of Matplotlib

    def quantise(match):
        png = base64.b64decode(
            match.group(1).replace("\\\n", "").replace("\n", "")
        )
        image = (
            Image.open(io.BytesIO(png)).convert("RGB").quantize(PLAYER_COLORS)
        )
        out = io.BytesIO()
        image.save(out, format="png", optimize=True)
        return (
            '"data:image/png;base64,'
            f'{base64.b64encode(out.getvalue()).decode("ascii")}"'
        )

    return _FRAME.sub(quantise, html)


# The player fits its column (phones included) and its buttons are large
# enough to tap.
_PLAYER_CSS = (
    "<style>\n"
    ".animation { max-width: 100%; }\n"
    ".animation img { width: 100%; height: auto; }\n"
    ".animation .anim-slider { width: 100%; max-width: 100%; }\n"
    ".animation .anim-buttons { display: flex; flex-wrap: wrap;"
    " justify-content: center; gap: 4px; }\n"
    ".animation .anim-buttons button { min-width: 40px; min-height: 40px;"
    " touch-action: manipulation; }\n"
    "</style>\n"
)


def _player_attributes(html, width, alt):
    """The player's frame sized to ``width`` CSS pixels (at most the column)
    and described."""
    label = "" if alt is None else f' role="group" aria-label="{escape(alt)}"'
    html = html.replace(
        '<div class="animation">',
        f'<div class="animation" style="width: {width}px"{label}>',
        1,
    )
    alt_text = "" if alt is None else f' alt="{escape(alt)}"'
    return re.sub(
        r'<img id="(_anim_img\w+)">',
        rf'<img id="\1"{alt_text}>',
        html,
        count=1,
    )


def to_html(anim, alt=None):
    """Return the animation as HTML: a slider and play buttons, no kernel.

    The player works in any browser, with no kernel and no network. It embeds
    every frame as a PNG (``FuncAnimation.to_jshtml``, playing once; its
    buttons drawn with plain characters, so nothing is fetched from another
    host), each frame reduced to a palette of ``PLAYER_COLORS`` colours, and
    closes the animation's figure so that no static copy is shown as well.
    The player is FIGSIZE * PLAYER_CSS_DPI CSS pixels wide, or as wide as its
    column if that is narrower.

    Parameters
    ----------
    anim : matplotlib.animation.Animation
        For example from :func:`em_player_1d`, :func:`em_player_2d` or
        :func:`kmeans_player`.
    alt : str, default=None
        One sentence saying what the player shows: the frame's alternative
        text and the player's label for screen readers. The book's build fills
        it in from the cell's ``mystnb.image.alt`` metadata when it is not
        given here.

    Returns
    -------
    html : IPython.display.HTML
        Displayed by Jupyter and by the book's build; its ``.data`` is the
        HTML text.
    """
    from IPython.display import HTML  # only needed where there is a notebook

    if not isinstance(anim, Animation):
        raise TypeError(
            f"anim must be a matplotlib Animation, got {type(anim).__name__}"
        )
    if alt is not None and (not isinstance(alt, str) or not alt.strip()):
        raise ValueError(
            f"alt must be a sentence (a non-empty str) or None, got {alt!r}"
        )
    html = _offline_buttons(anim.to_jshtml(default_mode="once"))
    width = round(anim._fig.get_figwidth() * PLAYER_CSS_DPI)
    html = _PLAYER_CSS + _player_attributes(_lighter_frames(html), width, alt)
    # no effect on the players' own figures; closes a pyplot one
    plt.close(anim._fig)
    return HTML(html)

"""Pictures of PDF page regions around observations, rendered with pdfplumber, as data URIs."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

from ..dataset.store import write_atomic

PAD = 16  # points of context above and below the figure's row or line
RESOLUTION = 96
ENCODING = "png-64-colours-z6"  # part of the cache key: crops cached in another encoding are not reused


def parse_box(text: str) -> tuple[float, float, float, float] | None:
    try:
        x0, top, x1, bottom = (float(v) for v in text.split())
    except (ValueError, AttributeError):
        return None
    return x0, top, x1, bottom


class Cropper:
    """Renders and de-duplicates crops; one open PDF per source at a time. With `cache_dir`,
    crops are kept on disk, one file per document (by its hash) holding all its crops, so the
    report of the next version renders only the crops of new documents."""

    def __init__(self, raw_dir: Path | None, max_crops: int = 2500, cache_dir: Path | None = None):
        self.raw_dir = raw_dir
        self.cache_dir = cache_dir
        self.max_crops = max_crops
        self.images: dict[str, str] = {}  # crop id -> data URI
        self._keys: dict[tuple, str] = {}
        self._pdfs: dict[str, object] = {}
        self._pages: dict[tuple, object] = {}
        self._stored: dict[str, dict[str, str]] = {}  # document hash -> its cached crops
        self._added: set[str] = set()  # documents with crops to add to their cache file

    def _pdf(self, source: str):
        if source not in self._pdfs:
            path = (self.raw_dir / source) if self.raw_dir else None
            pdf = None
            if path is not None and path.suffix.lower() == ".pdf" and path.exists():
                try:
                    import pdfplumber
                    pdf = pdfplumber.open(path)
                except Exception:  # noqa: BLE001 - a report without pictures beats no report
                    pdf = None
            self._pdfs[source] = pdf
        return self._pdfs[source]

    def _page_image(self, source: str, page: int):
        """The whole page rendered once (PIL image) and its scale from points to pixels."""
        key = (source, page)
        if key not in self._pages:
            pdf = self._pdf(source)
            img = None
            if pdf is not None and 0 < page <= len(pdf.pages):
                try:
                    img = pdf.pages[page - 1].to_image(resolution=RESOLUTION).original.convert("RGB")
                except Exception:  # noqa: BLE001
                    img = None
            if len(self._pages) > 2:  # keep memory flat: crops come page by page
                self._pages.pop(next(iter(self._pages)))
            self._pages[key] = img
        return self._pages[key]

    def _cache_file(self, sha256: str) -> Path:
        return self.cache_dir / sha256[:2] / f"{sha256}-{RESOLUTION}-{PAD}-{ENCODING}.json"

    def _stored_crops(self, sha256: str) -> dict[str, str]:
        crops = self._stored.get(sha256)
        if crops is None:
            crops = {}
            if self.cache_dir is not None and sha256:
                try:
                    crops = json.loads(self._cache_file(sha256).read_text())
                except (OSError, ValueError):
                    crops = {}  # none yet, or damaged: rendered again
            self._stored[sha256] = crops
        return crops

    def crop(self, source: str, page: int | None, bbox: str, sha256: str = "") -> str | None:
        """The id of a crop of `page` around `bbox` (None when it cannot be rendered)."""
        box = parse_box(bbox)
        if not box or not page or len(self.images) >= self.max_crops:
            return None
        key = (source, page, tuple(round(v) for v in box))
        if key in self._keys:
            return self._keys[key]
        stored = self._stored_crops(sha256)
        name = f"{page} {' '.join(map(str, key[2]))}"
        uri = stored.get(name)
        if uri is None:
            uri = self._render(source, page, box)
            if uri is None:
                return None
            stored[name] = uri
            if sha256:
                self._added.add(sha256)
        cid = f"c{len(self.images)}"
        self.images[cid] = uri
        self._keys[key] = cid
        return cid

    def _render(self, source: str, page: int, box) -> str | None:
        from PIL import ImageDraw

        img = self._page_image(source, page)
        if img is None:
            return None
        k = RESOLUTION / 72
        x0, top, x1, bottom = box
        w, h = img.size
        region = (int(max(0, min(x0, 50) - 4) * k), int(max(0, top - PAD) * k),
                  int(min(w / k, max(x1, w / k - 50) + 4) * k), int(min(h / k, bottom + PAD) * k))
        part = img.crop(region).copy()
        draw = ImageDraw.Draw(part, "RGBA")
        rx0, ry0 = region[0], region[1]
        draw.rectangle(((x0 - 2) * k - rx0, (top - 1) * k - ry0, (x1 + 2) * k - rx0, (bottom + 1) * k - ry0),
                       fill=(255, 230, 0, 60), outline=(220, 120, 0, 255), width=2)
        buf = io.BytesIO()
        # zlib's default level: as small as optimize=True on these crops, in half the time
        part.quantize(colors=64).save(buf, format="PNG", compress_level=6)
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()

    def close(self) -> None:
        """Close the PDFs and add the new crops to the cache."""
        if self.cache_dir is not None:
            for sha in self._added:
                _write(self._cache_file(sha), json.dumps(self._stored[sha], separators=(",", ":")))
        self._added.clear()
        self._pages.clear()
        for pdf in self._pdfs.values():
            if pdf is not None:
                pdf.close()
        self._pdfs.clear()



def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError:
        pass  # a cache that cannot be written only costs time

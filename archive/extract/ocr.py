"""OCR of scanned PDF pages with Tesseract (Debian's `tesseract-ocr` and `tesseract-ocr-vie`)
when it is installed: each page's largest image is handed to `tesseract … -l vie` at low
priority (nice 19), with a time limit per page."""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from dataclasses import dataclass

from archive.budget import OverBudget

OCR_LANGUAGES = "vie+eng"


@dataclass(frozen=True, slots=True)
class OcrLimits:
    max_pages: int = 5
    seconds_per_page: float = 60.0
    max_pixels: int = 40_000_000  # an A4 page at 600 dpi has 35 million


@functools.cache
def tesseract() -> str | None:
    """The tesseract program when it has the Vietnamese data, else None."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        listed = subprocess.run(  # noqa: S603 - a found program, fixed arguments
            [program, "--list-langs"], capture_output=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return program if b"\nvie" in listed.stdout + listed.stderr else None


def page_images(data: bytes, limits: OcrLimits) -> list[bytes]:
    """The largest image of each of the first pages, as PNG (a scan is one image a page)."""
    from PIL import Image
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    images = []
    for page in list(reader.pages)[: limits.max_pages]:
        found = sorted(page.images, key=lambda image: len(image.data), reverse=True)
        if not found:
            continue
        with Image.open(io.BytesIO(found[0].data)) as picture:
            if picture.width * picture.height > limits.max_pixels:
                raise OverBudget("a scanned page is too large to read")
            out = io.BytesIO()
            picture.convert("L").save(out, format="PNG")
            images.append(out.getvalue())
    return images


def ocr_image(program: str, image: bytes, limits: OcrLimits) -> str:
    """The text of one page image, read by tesseract at the lowest priority."""
    command = ["nice", "-n", "19", program, "stdin", "stdout", "-l", OCR_LANGUAGES]
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core: the machine is shared
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments, the image on standard input
            command,
            input=image,
            capture_output=True,
            timeout=limits.seconds_per_page,
            check=False,
            env=environment,
        )
    except subprocess.TimeoutExpired as error:
        raise OverBudget(f"OCR took longer than {limits.seconds_per_page:g} s a page") from error
    except OSError as error:  # tesseract or nice went away
        raise ValueError(f"tesseract could not run: {error}") from error
    if done.returncode != 0:
        raise ValueError(f"tesseract failed: {done.stderr.decode(errors='replace')[-200:]}")
    return done.stdout.decode("utf-8", "replace")

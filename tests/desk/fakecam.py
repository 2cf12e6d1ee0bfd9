"""A fake camera for chromium: a Y4M video showing QR codes one after another, played by chromium's fake
media stream (`--use-fake-device-for-media-stream --use-file-for-fake-video-capture=<file>.y4m`), so a desk
page reads real codes through getUserMedia and its decoder, as it would from a phone's camera.

    video = fakecam.video(tmp_path / "cam.y4m", [(url_of_need, 0.6), (personal_link, 0.6), (None, 30)])
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=fakecam.flags(video))

None shows a blank picture (the desk between people). Chromium loops the file: end it with a long blank.
"""
from pathlib import Path

import segno
from PIL import Image

WIDTH, HEIGHT, FPS = 640, 480, 10


def flags(video: Path) -> list[str]:
    return ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]


def _frame(text: str | None) -> bytes:
    picture = Image.new("L", (WIDTH, HEIGHT), 235)
    if text:
        code = segno.make(text, error="m")
        side = code.symbol_size(scale=1)[0]
        scale = max(1, (HEIGHT - 40) // side)
        qr = Image.new("L", (side * scale, side * scale), 255)
        for y, row in enumerate(code.matrix_iter(scale=1, border=4)):
            for x, dark in enumerate(row):
                if dark:
                    qr.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
        picture.paste(qr, ((WIDTH - qr.width) // 2, (HEIGHT - qr.height) // 2))
    luma = picture.tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)  # grey: no colour
    return b"FRAME\n" + luma + chroma + chroma


def video(path: Path, shots: list[tuple[str | None, float]]) -> Path:
    """Write `shots` (text or None, seconds on screen) as a Y4M file at `path`; returns the path."""
    path = Path(path)
    frames = {}
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for text, seconds in shots:
            frame = frames.get(text) or frames.setdefault(text, _frame(text))
            for _ in range(max(1, round(seconds * FPS))):
                out.write(frame)
    return path

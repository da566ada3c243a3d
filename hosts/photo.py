"""Writes the picture the hosts' recipes open (./build.sh hosts): colour
gradients with a few shapes, so that a blur changes every part of it.

Usage: python hosts/photo.py OUT.png (with Pillow, e.g. .venv's)
"""

import sys

from PIL import Image, ImageDraw

SIZE = (96, 64)

red = Image.linear_gradient("L").resize(SIZE)
green = Image.radial_gradient("L").resize(SIZE)
blue = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(SIZE)
photo = Image.merge("RGB", (red, green, blue))
draw = ImageDraw.Draw(photo)
draw.rectangle((12, 10, 40, 30), fill=(250, 240, 20))
draw.ellipse((50, 20, 86, 56), fill=(20, 40, 200), outline=(255, 255, 255), width=3)
draw.line((0, 63, 95, 0), fill=(0, 0, 0), width=2)
photo.save(sys.argv[1])

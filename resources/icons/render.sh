#!/bin/sh
# Renders the PNGs of lockscope.svg (64, 128 and 256 px) with ImageMagick: drawn at 4x the
# density and scaled down, 8 bits per channel. Run it after editing the SVG.
set -eu
cd "$(dirname "$0")"
for size in 64 128 256; do
    convert -background none -density $((96 * size / 64)) lockscope.svg -resize "${size}x${size}" \
            -depth 8 "lockscope-$size.png"
done

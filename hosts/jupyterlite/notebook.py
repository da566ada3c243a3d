# %% [markdown]
# # wasmcanvas in JupyterLite
#
# Install wasmcanvas from this site's own package index, open a picture,
# blur it: the image a cell returns shows as a picture.

# %%
%pip install wasmcanvas

# %%
from wasmcanvas import Image, ImageFilter

Image.open("photo.png").filter(ImageFilter.GaussianBlur(2))

################################################################################
#
# electron-bin
#
################################################################################

# Keep in step with the "electron" devDependency in package.json.
ELECTRON_BIN_VERSION = 45.4.1
ELECTRON_BIN_SITE = https://github.com/electron/electron/releases/download/v$(ELECTRON_BIN_VERSION)
ifeq ($(BR2_aarch64),y)
ELECTRON_BIN_SOURCE = electron-v$(ELECTRON_BIN_VERSION)-linux-arm64.zip
else
ELECTRON_BIN_SOURCE = electron-v$(ELECTRON_BIN_VERSION)-linux-x64.zip
endif
ELECTRON_BIN_LICENSE = MIT, BSD-3-Clause (Chromium), others (see LICENSES.chromium.html)
ELECTRON_BIN_LICENSE_FILES = LICENSE LICENSES.chromium.html
ELECTRON_BIN_DEPENDENCIES = \
	alsa-lib at-spi2-core cairo cups dbus expat libdrm libglib2 libgtk3 \
	libnss libxkbcommon pango xlib_libX11 xlib_libXcomposite \
	xlib_libXdamage xlib_libXext xlib_libXfixes xlib_libXrandr libxcb

define ELECTRON_BIN_EXTRACT_CMDS
	$(UNZIP) -q $(ELECTRON_BIN_DL_DIR)/$(ELECTRON_BIN_SOURCE) -d $(@D)
endef

# The release is one folder: the binary, its .pak resources, ICU data,
# V8 snapshots and locales. The Chromium sandbox helper is not used: the
# shell runs renderers with the namespace sandbox instead.
define ELECTRON_BIN_INSTALL_TARGET_CMDS
	rm -rf $(TARGET_DIR)/usr/lib/electron
	mkdir -p $(TARGET_DIR)/usr/lib/electron
	cp -a $(@D)/. $(TARGET_DIR)/usr/lib/electron/
	rm -f $(TARGET_DIR)/usr/lib/electron/chrome-sandbox \
		$(TARGET_DIR)/usr/lib/electron/LICENSE $(TARGET_DIR)/usr/lib/electron/LICENSES.chromium.html
endef

$(eval $(generic-package))

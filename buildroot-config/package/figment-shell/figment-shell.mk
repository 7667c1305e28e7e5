################################################################################
#
# figment-shell
#
################################################################################

FIGMENT_SHELL_VERSION = $(FIGMENTD_VERSION)
FIGMENT_SHELL_SITE = $(BR2_EXTERNAL_FIGMENT_PATH)/../dist/shell
FIGMENT_SHELL_SITE_METHOD = local
FIGMENT_SHELL_LICENSE = MIT
FIGMENT_SHELL_DEPENDENCIES = figmentd electron-bin

# The shell page and the app SDK come with figmentd (it serves them); this
# adds the Electron host, which kiosk-session starts when Electron is there.
define FIGMENT_SHELL_INSTALL_TARGET_CMDS
	mkdir -p $(TARGET_DIR)/usr/lib/figment/dist/shell
	cp -a $(@D)/main $(@D)/preload $(TARGET_DIR)/usr/lib/figment/dist/shell/
	find $(TARGET_DIR)/usr/lib/figment/dist/shell -name '*.map' -delete
endef

$(eval $(generic-package))

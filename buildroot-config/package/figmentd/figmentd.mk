################################################################################
#
# figmentd
#
################################################################################

# Built from this repository: run "npm ci && npm run build" in it first
# (buildroot-config/scripts/build-image.sh does), so dist/ exists.
FIGMENTD_VERSION = 0.1.0
FIGMENTD_SITE = $(BR2_EXTERNAL_FIGMENT_PATH)/..
FIGMENTD_SITE_METHOD = local
FIGMENTD_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS = \
	--exclude .git --exclude node_modules --exclude build --exclude test-results \
	--exclude coverage --exclude docs
FIGMENTD_LICENSE = MIT
FIGMENTD_DEPENDENCIES = host-nodejs nodejs

# Production dependencies for the target: npm picks the optional packages
# for the target's CPU (node-llama-cpp's prebuilt llama.cpp, sqlite-vec),
# and $(NPM) makes node-gyp compile better-sqlite3 against the target's
# Node with the cross toolchain. node-llama-cpp must not fetch or build
# llama.cpp itself: its prebuilt CPU binary is used.
define FIGMENTD_BUILD_CMDS
	test -f $(@D)/dist/services/figmentd/main.js || \
		{ echo "figmentd: dist/ is missing: run 'npm run build' in $(BR2_EXTERNAL_FIGMENT_PATH)/.."; exit 1; }
	cd $(@D) && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true $(NPM) ci --omit=dev --no-audit --no-fund \
		--cpu=$(NODEJS_CPU) --os=linux --libc=glibc
endef

# The same staging as the QEMU test image (image/scripts/stage-app.sh),
# without the Electron host, which figment-shell installs.
define FIGMENTD_INSTALL_TARGET_CMDS
	bash $(@D)/image/scripts/stage-app.sh $(@D) $(TARGET_DIR)/usr/lib/figment $(NODEJS_CPU)
	rm -rf $(TARGET_DIR)/usr/lib/figment/dist/shell/main $(TARGET_DIR)/usr/lib/figment/dist/shell/preload
endef

$(eval $(generic-package))

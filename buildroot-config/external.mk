include $(sort $(wildcard $(BR2_EXTERNAL_FIGMENT_PATH)/package/*/*.mk))

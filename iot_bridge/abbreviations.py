"""Home Assistant's discovery-key abbreviations and the ``~`` base-topic shorthand.

Firmware with little memory (Tasmota, ESPHome) publishes configs with abbreviated keys;
undoing them first lets the rest of the bridge read one vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: HA's abbreviations of discovery keys (the subset that matters for the channels we read).
ABBREVIATIONS = {
    "avty": "availability", "avty_t": "availability_topic", "avty_mode": "availability_mode",
    "pl_avail": "payload_available", "pl_not_avail": "payload_not_available", "t": "topic",
    "dev": "device", "ids": "identifiers", "sa": "suggested_area", "uniq_id": "unique_id", "obj_id": "object_id",
    "cmd_t": "command_topic", "cmd_tpl": "command_template", "stat_t": "state_topic",
    "stat_tpl": "state_template", "val_tpl": "value_template", "stat_val_tpl": "state_value_template",
    "pl_on": "payload_on", "pl_off": "payload_off", "stat_on": "state_on", "stat_off": "state_off",
    "pl_lock": "payload_lock", "pl_unlk": "payload_unlock", "stat_locked": "state_locked",
    "stat_unlocked": "state_unlocked", "bri": "brightness", "bri_scl": "brightness_scale",
    "bri_cmd_t": "brightness_command_topic", "bri_cmd_tpl": "brightness_command_template",
    "bri_stat_t": "brightness_state_topic", "bri_val_tpl": "brightness_value_template",
    "clr_temp_cmd_t": "color_temp_command_topic", "clr_temp_stat_t": "color_temp_state_topic",
    "clr_temp_val_tpl": "color_temp_value_template", "clr_temp_cmd_tpl": "color_temp_command_template",
    "clr_temp_k": "color_temp_kelvin", "min_kelvin": "min_kelvin", "max_kelvin": "max_kelvin",
    "min_mirs": "min_mireds", "max_mirs": "max_mireds", "sup_clrm": "supported_color_modes",
    "rgb_cmd_t": "rgb_command_topic", "rgb_stat_t": "rgb_state_topic", "rgb_val_tpl": "rgb_value_template",
    "rgb_cmd_tpl": "rgb_command_template", "pow_cmd_t": "power_command_topic",
    "pow_cmd_tpl": "power_command_template", "mode_cmd_t": "mode_command_topic",
    "mode_cmd_tpl": "mode_command_template", "mode_stat_t": "mode_state_topic",
    "mode_stat_tpl": "mode_state_template", "temp_cmd_t": "temperature_command_topic",
    "temp_cmd_tpl": "temperature_command_template", "temp_stat_t": "temperature_state_topic",
    "temp_stat_tpl": "temperature_state_template", "fan_mode_cmd_t": "fan_mode_command_topic",
    "fan_mode_cmd_tpl": "fan_mode_command_template", "fan_mode_stat_t": "fan_mode_state_topic",
    "fan_mode_stat_tpl": "fan_mode_state_template", "curr_temp_t": "current_temperature_topic",
    "curr_temp_tpl": "current_temperature_template", "pct_cmd_t": "percentage_command_topic",
    "pct_cmd_tpl": "percentage_command_template", "pct_stat_t": "percentage_state_topic",
    "pct_val_tpl": "percentage_value_template", "pr_mode_cmd_t": "preset_mode_command_topic",
    "pr_mode_cmd_tpl": "preset_mode_command_template", "pr_mode_stat_t": "preset_mode_state_topic",
    "pr_mode_val_tpl": "preset_mode_value_template", "pr_modes": "preset_modes",
    "spd_rng_min": "speed_range_min", "spd_rng_max": "speed_range_max", "set_pos_t": "set_position_topic",
    "set_pos_tpl": "set_position_template", "pos_t": "position_topic", "pos_tpl": "position_template",
    "pos_open": "position_open", "pos_clsd": "position_closed", "set_fan_spd_t": "set_fan_speed_topic",
    "fanspd_lst": "fan_speed_list", "sup_feat": "supported_features", "dev_cla": "device_class",
    "unit_of_meas": "unit_of_measurement", "cmd_on_tpl": "command_on_template",
    "pl_open": "payload_open", "pl_cls": "payload_close", "stat_open": "state_open", "stat_clsd": "state_closed",
    "pl_arm_away": "payload_arm_away", "pl_disarm": "payload_disarm",
}


def expand(config: Mapping[str, Any]) -> dict[str, Any]:
    """Undo HA's key abbreviations and the ``~`` base-topic shorthand."""
    base = config.get("~") if isinstance(config.get("~"), str) else None  # a base topic is text, nothing else
    out: dict[str, Any] = {}
    for key, value in config.items():
        full = ABBREVIATIONS.get(key, key)
        if isinstance(value, str) and base is not None and (value.startswith("~") or value.endswith("~")):
            value = base + value[1:] if value.startswith("~") else value[:-1] + base
        if isinstance(value, Mapping):
            value = expand({**value, **({"~": base} if base is not None else {})})
            value.pop("~", None)
        elif isinstance(value, list):
            value = [expand({**v, **({"~": base} if base else {})}) if isinstance(v, Mapping) else v for v in value]
            for item in value:
                if isinstance(item, dict):
                    item.pop("~", None)
        out[full] = value
    return out

import type { DbusArg, DbusInterfaceSpec } from './types.js';

const DOCTYPE =
  '<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"\n' +
  ' "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">';

/** The standard interfaces every exported object answers (by the adapter itself). */
export const standardInterfaces: readonly DbusInterfaceSpec[] = [
  {
    name: 'org.freedesktop.DBus.Peer',
    methods: [
      { name: 'Ping', in: [], out: [] },
      { name: 'GetMachineId', in: [], out: [['machine_uuid', 's']] },
    ],
    signals: [],
    properties: [],
  },
  {
    name: 'org.freedesktop.DBus.Introspectable',
    methods: [{ name: 'Introspect', in: [], out: [['xml_data', 's']] }],
    signals: [],
    properties: [],
  },
  {
    name: 'org.freedesktop.DBus.Properties',
    methods: [
      {
        name: 'Get',
        in: [
          ['interface_name', 's'],
          ['property_name', 's'],
        ],
        out: [['value', 'v']],
      },
      { name: 'GetAll', in: [['interface_name', 's']], out: [['props', 'a{sv}']] },
      {
        name: 'Set',
        in: [
          ['interface_name', 's'],
          ['property_name', 's'],
          ['value', 'v'],
        ],
        out: [],
      },
    ],
    signals: [
      {
        name: 'PropertiesChanged',
        args: [
          ['interface_name', 's'],
          ['changed_properties', 'a{sv}'],
          ['invalidated_properties', 'as'],
        ],
      },
    ],
    properties: [],
  },
];

/** The introspection document of one object: its interfaces (standard ones first) and child nodes. */
export function introspectionXml(
  interfaces: readonly DbusInterfaceSpec[],
  children: readonly string[],
): string {
  const lines = [DOCTYPE, '<node>'];
  for (const spec of interfaces.length > 0 ? [...standardInterfaces, ...interfaces] : []) {
    lines.push(` <interface name="${spec.name}">`);
    for (const method of spec.methods) {
      lines.push(`  <method name="${method.name}">`);
      for (const arg of method.in) lines.push(`   ${argXml(arg, 'in')}`);
      for (const arg of method.out) lines.push(`   ${argXml(arg, 'out')}`);
      lines.push('  </method>');
    }
    for (const signal of spec.signals) {
      lines.push(`  <signal name="${signal.name}">`);
      for (const arg of signal.args) lines.push(`   ${argXml(arg)}`);
      lines.push('  </signal>');
    }
    for (const property of spec.properties) {
      lines.push(`  <property name="${property.name}" type="${property.type}" access="${property.access}"/>`);
    }
    lines.push(' </interface>');
  }
  for (const child of children) lines.push(` <node name="${child}"/>`);
  lines.push('</node>');
  return `${lines.join('\n')}\n`;
}

function argXml([name, type]: DbusArg, direction?: 'in' | 'out'): string {
  return `<arg name="${name}" type="${type}"${direction ? ` direction="${direction}"` : ''}/>`;
}

// The roster (administrators only): who receives the alerts of each role in each community,
// by which channel. Roles and communities come from lists; the server checks the address by
// channel (an e-mail address for e-mail, an http(s) URL for the robots and webhooks).

import {h, clear} from '../dom.js';
import {t, label} from '../i18n.js';
import {get, send, dir} from '../api.js';
import {errorBox, loading, communityCell, ready} from './common.js';

const ROLES = ['assistant', 'building_manager', 'supervisor', 'centre_manager', 'project_manager', 'general_manager',
  'quality', 'developer_cs', 'engineering'];
const CHANNELS = ['email', 'webhook', 'wecom', 'dingtalk'];

export default function roster(root, params, app) {
  let alive = true;
  const field = (name, el) => h('label', null, t(name), ' ', el);
  const community = h('select', {name: 'community'}, h('option', {value: '*'}, t('anyCommunity')),
    [...dir().byCode.keys()].sort().map(c => h('option', {value: c}, c + ' ' + (dir().byCode.get(c).name || ''))));
  const role = h('select', {name: 'role'}, ROLES.map(r => h('option', {value: r}, label('role', r))));
  const name = h('input', {name: 'name', required: true});
  const channel = h('select', {name: 'channel'}, CHANNELS.map(c => h('option', {value: c}, label('channel', c))));
  const address = h('input', {name: 'address', required: true, size: 36});
  const secret = h('input', {name: 'secret', type: 'password', autocomplete: 'off'});
  const mentions = h('input', {name: 'mentions', inputmode: 'tel', size: 24});
  const message = h('div');
  const form = h('form', {class: 'filters', id: 'r-form', onsubmit: async e => {
    e.preventDefault();
    clear(message);
    try {
      const b = {community: community.value, role: role.value, name: name.value.trim(), channel: channel.value,
        address: address.value.trim()};
      if (secret.value) b.secret = secret.value;
      if (mentions.value.trim()) b.mentions = mentions.value.trim();
      await send('POST', '/api/roster', b);
      name.value = address.value = secret.value = mentions.value = '';
      load();
    } catch (err) {
      message.append(h('div', {class: 'error'}, err.message));
    }
  }}, field('community', community), field('role', role), field('name', name), field('channel', channel),
    field('address', address), field('secret', secret), field('mentions', mentions), h('button', {type: 'submit'}, t('add')));
  const list = h('div', null, loading());
  root.append(h('div', {class: 'view-head'}, h('h2', null, t('roster_title')), form, message), list);

  function load() {
    get('/api/roster').then(r => {
      if (!alive) return;
      clear(list).append(h('ul', {class: 'roster-list', id: 'roster-list'}, r.items.map(x => h('li', {dataset: {id: String(x.id)}},
        h('strong', null, x.name), ' · ', label('role', x.role), ' · ',
        x.community === '*' ? t('anyCommunity') : communityCell(x.community), ' · ', label('channel', x.channel), ' ',
        h('span', {class: 'mono small'}, x.address), x.mentions ? ' @' + x.mentions : '', ' ',
        h('button', {type: 'button', onclick: async () => { await send('DELETE', '/api/roster/' + x.id); load(); }}, t('remove'))))));
      ready('roster');
    }).catch(err => {
      if (alive) clear(list).append(errorBox(err, load));
    });
  }
  load();
  return () => { alive = false; };
}

import { ApiError, queryString } from '../api';
import type { AppContext } from '../context';
import { institutionLabel } from '../context';
import { h, mount, uid } from '../dom';
import { createdNotice, displayName, emptyDraft, fieldOfError, plainMessage, ROLE_LABELS, STAFF_ROLES,
  toCreateRequest, validateNewUser, type CreatedView, type FieldErrors, type NewUserDraft, type UserField,
  type UserList, type UserView } from '../admin-users-model';
import { errorBox } from './patients';

/**
 * User administration (issue #8) for tenant admins (their institution) and platform admins (an institution they
 * choose): search the institution's staff accounts, create one (optionally with a temporary password), change a
 * role, disable or enable. The server decides what is allowed; its refusals are shown at the field they concern.
 */
export function renderAdminUsers(ctx: AppContext, outlet: HTMLElement): void {
  const platform = !ctx.user.roles.includes('tenant-admin') && ctx.user.roles.includes('platform-admin');
  let institution = platform ? [...ctx.institutions.keys()][0] ?? '' : ctx.user.tenant ?? '';
  const draft: NewUserDraft = emptyDraft();
  const listRegion = h('section', { class: 'card', 'aria-labelledby': 'ul-title', 'aria-live': 'polite' });
  const formStatus = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const search = h('input', { type: 'search', id: 'user-search', maxlength: '100' });
  const errors = new Map<UserField, { control: HTMLElement; message: HTMLElement }>();
  /** The list shown: its rows, the "More users" button and where the next page starts (50 accounts a page). */
  let listed: { body: HTMLElement; more: HTMLButtonElement; next?: number } | undefined;

  function input(name: UserField, label: string, type = 'text', hint?: string): HTMLElement {
    const id = uid(`user-${name}`);
    const control = name === 'role'
      ? h('select', { id, name, onchange: (e: Event) => { draft.role = (e.target as HTMLSelectElement).value; } },
        STAFF_ROLES.map(r => h('option', { value: r, selected: r === draft.role }, ROLE_LABELS[r])))
      : h('input', { id, name, type, autocomplete: type === 'password' ? 'new-password' : 'off',
        oninput: (e: Event) => { draft[name] = (e.target as HTMLInputElement).value; } });
    const message = h('span', { class: 'field-error', id: `${id}-error` });
    const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
    control.setAttribute('aria-describedby', [hintEl?.id, message.id].filter(Boolean).join(' '));
    errors.set(name, { control, message });
    return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, message);
  }

  function showErrors(found: FieldErrors): void {
    for (const [name, { control, message }] of errors) {
      const text = found[name];
      message.textContent = text ?? '';
      if (text) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
    const first = (Object.keys(found) as UserField[])[0];
    if (first) errors.get(first)?.control.focus();
  }

  const form = h('form', { class: 'user-create', novalidate: true, 'aria-labelledby': 'uc-title',
    onsubmit: (e: Event) => {
      e.preventDefault();
      void create();
    } },
  h('h2', { id: 'uc-title' }, 'New user'),
  h('div', { class: 'user-fields' },
    input('username', 'Username'), input('firstName', 'First name'), input('lastName', 'Last name'),
    input('email', 'E-mail', 'email'), input('role', 'Role'),
    input('password', 'Temporary password', 'password',
      'Optional. The user chooses their own at first sign-in. Left empty, the account has no password and '
      + 'nothing is sent.')),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create user')),
  formStatus);

  async function create(): Promise<void> {
    mount(formStatus);
    const found = validateNewUser(draft);
    showErrors(found);
    if (Object.keys(found).length) return;
    try {
      const body = { ...toCreateRequest(draft), ...(platform ? { institution } : {}) };
      const created = await ctx.api.post<CreatedView>('api/admin/users', body);
      mount(formStatus, h('p', { class: 'notice', role: 'status' }, createdNotice(created)));
      form.reset();
      Object.assign(draft, emptyDraft());
      await load();
    } catch (e) {
      const field = e instanceof ApiError ? fieldOfError(e.code) : undefined;
      if (field && e instanceof ApiError) showErrors({ [field]: plainMessage(e.messages.join(' ')) });
      else mount(formStatus, errorBox(e));
    }
  }

  async function load(first?: number): Promise<void> {
    try {
      const page = await ctx.api.get<UserList>(`api/admin/users${queryString({ q: search.value.trim(),
        institution: platform ? institution : undefined, first })}`);
      if (first === undefined) {
        const body = h('tbody', null, page.users.map(row));
        const more = h('button', { type: 'button', class: 'more-users', hidden: page.next == null }, 'More users');
        mount(listRegion, h('h2', { id: 'ul-title' }, `Users of ${institutionLabel(ctx, institution) || 'the institution'}`),
          page.users.length === 0 && page.next == null ? h('p', { class: 'notice' }, 'No users found.') : table(body),
          h('div', { class: 'more' }, more));
        listed = { body, more, next: page.next ?? undefined };
        more.addEventListener('click', () => void load(listed?.next));
      } else if (listed) {
        listed.body.append(...page.users.map(row));
        listed.next = page.next ?? undefined;
        listed.more.hidden = page.next == null;
      }
    } catch (e) {
      mount(listRegion, h('h2', { id: 'ul-title' }, 'Users'), errorBox(e));
    }
  }

  function table(body: HTMLElement): HTMLElement {
    return h('table', { class: 'users' },
      h('thead', null, h('tr', null, ['Name', 'Username', 'E-mail', 'Role', 'Status', 'Actions']
        .map(t => h('th', { scope: 'col' }, t)))), body);
  }

  function row(u: UserView): HTMLElement {
    const rowError = h('span', { class: 'field-error', role: 'alert' });
    const role = h('select', { 'aria-label': `Role of ${u.username}`, onchange: (e: Event) =>
      void change(u, 'role', { role: (e.target as HTMLSelectElement).value }, rowError) },
    STAFF_ROLES.map(r => h('option', { value: r, selected: r === u.role }, ROLE_LABELS[r])));
    return h('tr', { 'data-username': u.username, class: u.enabled ? '' : 'disabled' },
      h('th', { scope: 'row' }, displayName(u)), h('td', null, u.username), h('td', null, u.email),
      h('td', null, role),
      h('td', null, h('span', { class: u.enabled ? 'badge' : 'badge muted' }, u.enabled ? 'Enabled' : 'Disabled')),
      h('td', null, h('button', { type: 'button', class: 'link', onclick: () =>
        void change(u, 'enabled', { enabled: !u.enabled }, rowError) },
      `${u.enabled ? 'Disable' : 'Enable'} ${u.username}`), rowError));
  }

  async function change(u: UserView, what: 'role' | 'enabled', body: unknown, rowError: HTMLElement): Promise<void> {
    try {
      await ctx.api.request('PUT', `api/admin/users/${encodeURIComponent(u.id)}/${what}`, body);
      await load();
    } catch (e) {
      rowError.textContent = e instanceof ApiError ? plainMessage(e.messages.join(' ')) : String(e);
    }
  }

  const institutionPicker = platform ? h('div', { class: 'field' }, h('label', { for: 'user-institution' },
    'Institution'), h('select', { id: 'user-institution', onchange: (e: Event) => {
    institution = (e.target as HTMLSelectElement).value;
    void load();
  } }, [...ctx.institutions.values()].map(i => h('option', { value: i.id, selected: i.id === institution },
    `${i.name} (${i.country})`)))) : null;

  mount(outlet, h('section', { class: 'page admin-users' },
    h('h1', null, 'Users'),
    institutionPicker,
    h('form', { class: 'user-search', role: 'search', onsubmit: (e: Event) => {
      e.preventDefault();
      void load();
    } }, h('div', { class: 'field' }, h('label', { for: 'user-search' }, 'Search users'), search,
      h('span', { class: 'hint' }, 'Username, name or e-mail.')),
    h('button', { type: 'submit' }, 'Search')),
    listRegion, h('section', { class: 'card' }, form)));
  void load();
}

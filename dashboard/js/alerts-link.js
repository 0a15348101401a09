// alerts.html#<alert id> (the link in every message since issue 5) → the dashboard's alert page;
// alerts.html alone → the inbox. A file of its own: the pages allow no inline script (CSP).
(function () {
  var id = location.hash.replace(/^#/, '');
  location.replace('index.html' + (/^a[0-9a-f]{20}$/.test(id) ? '#/alert?id=' + id : '#/alerts'));
})();

// Quick exit: leave for a neutral site and replace this page in the history, so Back does not return here.
// Without script the link still leaves. Escape pressed twice leaves too.
(function () {
  var link = document.querySelector('.quick-exit');
  if (!link) return;
  function leave(e) { if (e) e.preventDefault(); window.location.replace(link.href); }
  link.addEventListener('click', leave);
  var last = 0;
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var now = Date.now();
    if (now - last < 800) leave(e);
    last = now;
  });
})();

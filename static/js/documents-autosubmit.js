// Sends a form marked data-autosubmit on as soon as the page is read (the CMI payment page of
// tawasul.documents). Without JavaScript the form's own button does it. Coming back with the
// browser's Back button does not send it again, so the payer can leave the bank's page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  var navigation = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  if (form && !(navigation && navigation.type === "back_forward")) {
    form.submit();
  }
})();

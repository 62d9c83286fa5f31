from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.job import Job

from .common import declare_exchange_type, patch_processor


@tagged("post_install", "-at_install")
class TestExchangeUi(HttpCase):
    """Browser (Chromium) tour through the exchange log: list, search, form, Retry button."""

    def test_retry_from_the_exchange_form(self):
        new_test_user(self.env, "b2b_tour", groups="b2b_connector_base.group_b2b_user", password="b2b_tour_pw")
        Exchange = self.env["b2b.exchange"]
        declare_exchange_type(self.env, "tour.kind", "Tour call")
        failed = Exchange._b2b_log("tour.kind", summary="Tour: failed call", process=("res.partner", "_b2b_tour"))
        failed.write({"state": "failed", "error": "Remote server error: http://peer answered HTTP 503"})
        Exchange._b2b_log("tour.kind", summary="Tour: done call", state="done")
        self.start_tour("/odoo/action-b2b_connector_base.action_b2b_exchange", "b2b_exchange_retry_tour",
                        login="b2b_tour")
        failed.invalidate_recordset()
        self.assertEqual(failed.state, "pending")
        job = self.env["queue.job"].search([("uuid", "=", failed.job_uuid)])
        self.assertEqual(job.channel, "root.b2b")
        self.assertEqual(job.state, "pending")
        with patch_processor(self.env["res.partner"], "_b2b_tour", lambda s, e: "ok"):
            Job.load(self.env, job.uuid).perform()
        self.assertEqual(failed.state, "done")

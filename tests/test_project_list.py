from tests.factories import ProjectFactory


def test_member_sees_granted_projects_only(client_for, member, project, account):
    ProjectFactory(account=account, name="Hidden from member")
    body = client_for(member).get("/projects/").content.decode()
    assert "Acme Production" in body
    assert "Hidden from member" not in body


def test_outsider_sees_none(client_for, outsider, project):
    body = client_for(outsider).get("/projects/").content.decode()
    assert "Acme Production" not in body


def test_names_are_escaped(client_for, admin_user, account):
    ProjectFactory(account=account, name="<script>alert('x')</script> 🌮")
    body = client_for(admin_user).get("/projects/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 🌮" in body
